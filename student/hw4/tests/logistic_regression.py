OK_FORMAT = True

test = {   'name': 'logistic_regression',
    'points': 10,
    'suites': [   {   'cases': [   {   'code': '>>> data = make_logistic_data(0)\n'
                                               ">>> assert data is not None, 'make_logistic_data returned None'\n"
                                               '>>> x, y = data\n'
                                               ">>> assert np.shape(x) == (20,) and np.shape(y) == (20,), 'x and y both have shape (20,)'\n"
                                               ">>> assert np.array_equal(np.asarray(y), [0] * 10 + [1] * 10), 'y is ten 0s followed by ten 1s'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': '>>> x, y = (np.linspace(-2.0, 2.0, 20), np.repeat([0.0, 1.0], 10))\n'
                                               '>>> loss = logistic_loss(np.zeros(2), x, y)\n'
                                               ">>> assert np.ndim(loss) == 0, 'logistic_loss returns a single number'\n"
                                               ">>> assert np.isclose(loss, 20 * np.log(2)), 'at phi = 0 every point has probability 1/2'\n"
                                               '>>> grad = logistic_grad(np.zeros(2), x, y)\n'
                                               ">>> assert np.shape(grad) == (2,), 'logistic_grad returns (dL/dphi0, dL/dphi1)'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': '>>> x, y = (np.linspace(-2.0, 2.0, 20), np.repeat([0.0, 1.0], 10))\n'
                                               '>>> grid = loss_grid(x, y, np.linspace(-1.0, 1.0, 3), np.linspace(-2.0, 2.0, 4))\n'
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
