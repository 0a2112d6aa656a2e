OK_FORMAT = True

test = {   'name': 'corner_task',
    'points': 10,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'make_corner_dataset: shapes and corners'\n"
                                               '>>> data = make_corner_dataset()\n'
                                               ">>> assert data is not None, 'make_corner_dataset returned None: did you finish the function and `return`?'\n"
                                               ">>> assert len(data) == 2, 'return the pair (X, Y)'\n"
                                               '>>> X, Y = data\n'
                                               '>>> assert np.shape(X) == (16, 1, 5, 5) and np.shape(Y) == (16, 1, 5, 5)\n'
                                               ">>> assert np.allclose(np.asarray(X)[:, 0, 1:4, :], 0) and np.allclose(np.asarray(Y)[:, 0, 2, :], 0), 'only the corners are ever non-zero'\n"
                                               ">>> assert len({tuple(np.ravel(x)) for x in np.asarray(X)}) == 16, 'the 16 inputs are all different: every 0/1 pattern of the four corners once'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> CASE = 'build_corner_cnn: architecture'\n"
                                               '>>> model = build_corner_cnn()\n'
                                               ">>> assert model is not None, 'build_corner_cnn() returned None: did you finish the function and `return`?'\n"
                                               '>>> out = model(torch.zeros(2, 1, 5, 5))\n'
                                               '>>> assert tuple(out.shape) == (2, 1, 5, 5), "one logit per pixel: the output has the input\'s shape"\n'
                                               ">>> assert sum((int(np.prod(np.shape(w))) for w in model.state_dict().values())) == 4945, 'four 3x3 convolutions 1-16-16-16-1 with their biases have "
                                               "4945 parameters'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
