OK_FORMAT = True

test = {   'name': 'l1_regression',
    'points': 8,
    'suites': [   {   'cases': [   {   'code': '>>> X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])\n'
                                               '>>> y = np.array([1.0, 2.0, 10.0])\n'
                                               '>>> loss = l1_loss(X, y, np.array([1.0, 1.0]))\n'
                                               ">>> assert loss is not None, 'l1_loss returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.ndim(loss) == 0, 'l1_loss returns one number'\n"
                                               ">>> assert np.isclose(loss, 7.0), 'with w = (1, 1) the residuals X w - y are (0, 0, -7): the loss is 7'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': '>>> X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])\n'
                                               '>>> y = np.array([1.0, 2.0, 10.0])\n'
                                               '>>> g = l1_subgradient(X, y, np.array([1.0, 1.0]))\n'
                                               ">>> assert g is not None, 'l1_subgradient returned None: did you finish the function and `return`?'\n"
                                               '>>> g = np.asarray(g, dtype=float)\n'
                                               ">>> assert g.shape == (2,), f'one entry per weight: expected shape (2,), got {g.shape}'\n"
                                               ">>> assert np.allclose(g, [-1.0, -2.0]), 'the residuals (0, 0, -7) have signs (0, 0, -1), so the subgradient is -(last row of X) = (-1, -2)'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': '>>> x = np.arange(10.0)\n'
                                               '>>> X = np.column_stack([np.ones(10), x])\n'
                                               '>>> y = 2.0 + 3.0 * x\n'
                                               '>>> y[7] += 50.0\n'
                                               '>>> w = fit_l1(X, y)\n'
                                               ">>> assert w is not None, 'fit_l1 returned None: did you finish the function and `return`?'\n"
                                               '>>> w = np.asarray(w, dtype=float)\n'
                                               ">>> assert w.shape == (2,), f'one weight per column of X: expected shape (2,), got {w.shape}'\n"
                                               '>>> w_ls = np.linalg.lstsq(X, y, rcond=None)[0]\n'
                                               ">>> assert np.abs(X @ w - y).sum() < np.abs(X @ w_ls - y).sum(), 'on a line with one outlier, the L1 fit has a lower L1 loss than the least-squares "
                                               "fit'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
