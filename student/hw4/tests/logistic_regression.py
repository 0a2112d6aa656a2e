OK_FORMAT = True

test = {   'name': 'logistic_regression',
    'points': 10,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'make_logistic_data: shapes and labels'\n"
                                               '>>> data = make_logistic_data(0)\n'
                                               ">>> assert data is not None, 'make_logistic_data returned None: did you finish the function and `return`?'\n"
                                               '>>> x, y = data\n'
                                               ">>> assert np.shape(x) == (20,) and np.shape(y) == (20,), 'x and y both have shape (20,)'\n"
                                               ">>> assert np.array_equal(np.asarray(y), [0] * 10 + [1] * 10), 'y is ten 0s followed by ten 1s'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> CASE = 'logistic_loss at phi = 0'\n"
                                               '>>> x, y = (np.linspace(-2.0, 2.0, 20), np.repeat([0.0, 1.0], 10))\n'
                                               '>>> loss = logistic_loss(np.zeros(2), x, y)\n'
                                               ">>> assert loss is not None, 'logistic_loss returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.ndim(loss) == 0, 'logistic_loss returns a single number'\n"
                                               ">>> assert np.isclose(loss, 20 * np.log(2)), 'at phi = 0 every point has probability 1/2'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.25},
                                   {   'code': ">>> CASE = 'logistic_grad: shape'\n"
                                               '>>> x, y = (np.linspace(-2.0, 2.0, 20), np.repeat([0.0, 1.0], 10))\n'
                                               '>>> grad = logistic_grad(np.zeros(2), x, y)\n'
                                               ">>> assert grad is not None, 'logistic_grad returned None: did you finish the function and `return`?'\n"
                                               '>>> grad = np.asarray(grad, dtype=float)\n'
                                               ">>> assert np.shape(grad) == (2,), 'logistic_grad returns (dL/dphi0, dL/dphi1)'\n"
                                               ">>> assert np.isclose(grad[0], 0.0) and np.isclose(grad[1], -np.sum(x[10:])), 'at phi = 0 each point pulls with sigmoid(0) - y = 1/2 or -1/2: dL/dphi0 "
                                               "is 0 here, and dL/dphi1 is minus the sum of the positive x'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.25},
                                   {   'code': ">>> CASE = 'loss_grid: shape and value at 0'\n"
                                               '>>> x, y = (np.linspace(-2.0, 2.0, 20), np.repeat([0.0, 1.0], 10))\n'
                                               '>>> grid = loss_grid(x, y, np.linspace(-1.0, 1.0, 3), np.linspace(-2.0, 2.0, 4))\n'
                                               ">>> assert grid is not None, 'loss_grid returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.shape(grid) == (3, 4), 'one row per phi0 value, one column per phi1 value'\n"
                                               ">>> assert np.allclose(loss_grid(x, y, np.array([0.0]), np.array([0.0])), 20 * np.log(2.0)), 'at phi = (0, 0) every point has probability 1/2: the "
                                               "loss is 20 log 2'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
