OK_FORMAT = True

test = {   'name': 'softmax_jacobian',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'softmax_jacobian: shape'\n"
                                               '>>> J = softmax_jacobian(np.zeros(3))\n'
                                               ">>> assert J is not None, 'softmax_jacobian returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.shape(J) == (3, 3), 'the Jacobian of a (3,) input is (3, 3)'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0},
                                   {   'code': ">>> CASE = 'softmax_jacobian: columns sum to 0'\n"
                                               '>>> J = softmax_jacobian(np.array([0.5, -1.0, 2.0, 0.0]))\n'
                                               ">>> assert J is not None, 'softmax_jacobian returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.allclose(np.sum(J, axis=0), 0.0), 'softmax outputs always sum to 1, so each column of J sums to 0'\n"
                                               ">>> assert np.all(np.diag(J) > 0), 'each s_i grows with its own x_i: the diagonal of J is positive'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
