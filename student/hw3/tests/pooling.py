OK_FORMAT = True

test = {   'name': 'pooling',
    'points': 8,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'max_pool2d_forward of a 4x4 image'\n"
                                               '>>> x = np.arange(16.0).reshape(1, 1, 4, 4)\n'
                                               '>>> out = max_pool2d_forward(x, 2)\n'
                                               ">>> assert out is not None, 'max_pool2d_forward returned None: did you finish the function and `return`?'\n"
                                               '>>> assert np.shape(out) == (1, 1, 2, 2)\n'
                                               ">>> assert np.allclose(out, [[[[5.0, 7.0], [13.0, 15.0]]]]), 'each 2x2 block keeps its largest entry'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> CASE = 'max_pool2d_backward of a 4x4 image'\n"
                                               '>>> x = np.arange(16.0).reshape(1, 1, 4, 4)\n'
                                               '>>> dx = max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2)\n'
                                               ">>> assert dx is not None, 'max_pool2d_backward returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.shape(dx) == (1, 1, 4, 4), 'dx has the shape of x'\n"
                                               ">>> assert np.isclose(np.sum(dx), 4.0), 'each window sends its whole gradient to one input'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
