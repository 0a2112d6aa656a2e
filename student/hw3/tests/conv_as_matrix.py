OK_FORMAT = True

test = {   'name': 'conv_as_matrix',
    'points': 8,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'conv2d_matrix of the centre kernel'\n"
                                               '>>> centre = np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])\n'
                                               '>>> A = conv2d_matrix(centre, (4, 5), padding=1)\n'
                                               ">>> assert A is not None, 'conv2d_matrix returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.shape(A) == (20, 20), 'a 3x3 kernel with padding 1 keeps a 4x5 image 4x5'\n"
                                               ">>> assert np.allclose(A, np.eye(20)), 'the kernel that picks the centre pixel is the identity map'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> CASE = 'conv_transpose2d_matrix with stride 2'\n"
                                               '>>> B = conv_transpose2d_matrix(np.ones((2, 2)), (2, 2), stride=2)\n'
                                               ">>> assert B is not None, 'conv_transpose2d_matrix returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.shape(B) == (16, 4), 'a 2x2 input, 2x2 kernel and stride 2 give a 4x4 output'\n"
                                               ">>> assert np.allclose(np.sum(B, axis=1), 1.0) and np.allclose(np.sum(B, axis=0), 4.0), 'with stride 2, each input pixel spreads the 2x2 kernel over "
                                               "its own 2x2 block of the output'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
