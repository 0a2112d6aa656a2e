OK_FORMAT = True

test = {   'name': 'losses',
    'points': 6,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'mse_loss on a small known case'\n"
                                               '>>> out = mse_loss(np.zeros((2, 3)), np.ones((2, 3)))\n'
                                               ">>> assert out is not None, 'mse_loss returned None: did you finish the function and `return`?'\n"
                                               '>>> J, dJ = out\n'
                                               ">>> assert np.ndim(J) == 0, 'the loss is a single number'\n"
                                               ">>> assert np.shape(dJ) == (2, 3), 'the gradient has the shape of y_hat'\n"
                                               ">>> assert np.isclose(J, 1.0), 'predicting 1 everywhere for targets 0 costs a mean squared error of 1'\n"
                                               ">>> assert np.allclose(dJ, 1.0 / 3.0), 'each of the 6 entries of y_hat pulls on J with 2 (y_hat - y) / 6'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> CASE = 'bce_loss on a small known case'\n"
                                               '>>> out = bce_loss(np.array([1.0, 0.0]), np.array([0.5, 0.5]))\n'
                                               ">>> assert out is not None, 'bce_loss returned None: did you finish the function and `return`?'\n"
                                               '>>> J, dJ = out\n'
                                               ">>> assert np.ndim(J) == 0 and np.shape(dJ) == (2,), 'a single number, and a gradient shaped like y_hat'\n"
                                               ">>> assert np.isclose(J, np.log(2.0)), 'a prediction of 1/2 costs log 2 whatever the label'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
