OK_FORMAT = True

test = {   'name': 'conv_layer',
    'points': 12,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'conv2d_forward of a small batch'\n"
                                               '>>> x = np.random.default_rng(0).normal(size=(2, 3, 6, 5))\n'
                                               '>>> w = np.random.default_rng(1).normal(size=(4, 3, 3, 2))\n'
                                               '>>> b = np.array([0.5, -1.0, 0.0, 2.0])\n'
                                               '>>> out = conv2d_forward(x, w, b)\n'
                                               ">>> assert out is not None, 'conv2d_forward returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.shape(out) == (2, 4, 4, 4), 'stride 1, no padding: (6 - 3 + 1, 5 - 2 + 1)'\n"
                                               '>>> expected = torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(w), torch.tensor(b)).numpy()\n'
                                               ">>> assert np.allclose(out, expected), 'conv2d_forward must match torch.nn.functional.conv2d'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1},
                                   {   'code': ">>> CASE = 'conv2d_backward: shapes and db'\n"
                                               '>>> x = np.random.default_rng(2).normal(size=(2, 3, 6, 5))\n'
                                               '>>> w = np.random.default_rng(3).normal(size=(4, 3, 3, 2))\n'
                                               '>>> b = np.zeros(4)\n'
                                               '>>> grads = conv2d_backward(np.ones((2, 4, 4, 4)), x, w, b)\n'
                                               ">>> assert grads is not None, 'conv2d_backward returned None: did you finish the function and `return`?'\n"
                                               ">>> assert len(grads) == 3, 'return the tuple (dx, dw, db)'\n"
                                               ">>> assert [np.shape(g) for g in grads] == [(2, 3, 6, 5), (4, 3, 3, 2), (4,)], 'dx, dw, db have the shapes of x, w, b'\n"
                                               ">>> assert np.allclose(np.asarray(grads[2]), 32.0), 'with dout all ones, db[f] adds up the 2 x 4 x 4 output positions of filter f'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
