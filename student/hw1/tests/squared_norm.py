OK_FORMAT = True

test = {   'name': 'squared_norm',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> g = squared_norm_grad(np.array([1.0, -2.0, 0.5]))\n'
                                               ">>> assert g is not None, 'squared_norm_grad returned None: did you finish the function and `return`?'\n"
                                               '>>> g = np.asarray(g, dtype=float)\n'
                                               ">>> assert g.shape == (3,), f'the gradient at x of shape (3,) has shape (3,), got {g.shape}'\n"
                                               ">>> assert np.allclose(g, [2.0, -4.0, 1.0]), 'each partial derivative of x_1^2 + x_2^2 + x_3^2 is 2 x_k: expected [2, -4, 1] at x = [1, -2, 0.5]'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': '>>> mu = mean_minimizer(np.array([[0.0, 1.0], [2.0, 3.0], [4.0, -1.0]]))\n'
                                               ">>> assert mu is not None, 'mean_minimizer returned None: did you finish the function and `return`?'\n"
                                               '>>> mu = np.asarray(mu, dtype=float)\n'
                                               ">>> assert mu.shape == (2,), f'one coordinate per column of X: expected shape (2,), got {mu.shape}'\n"
                                               ">>> assert np.allclose(mu, [2.0, 1.0]), 'for the points (0, 1), (2, 3), (4, -1) the minimiser is (2, 1)'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
