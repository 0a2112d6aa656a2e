OK_FORMAT = True

test = {   'name': 'linreg_hessian',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'linreg_hessian of two points'\n"
                                               '>>> H = linreg_hessian(np.array([0.0, 1.0]))\n'
                                               ">>> assert H is not None, 'linreg_hessian returned None: did you finish the function and `return`?'\n"
                                               '>>> H = np.asarray(H, dtype=float)\n'
                                               '>>> assert np.shape(H) == (2, 2)\n'
                                               ">>> assert np.allclose(H, np.transpose(H)), 'a Hessian of a smooth function is symmetric'\n"
                                               ">>> assert np.isclose(H[0, 0], 4.0), 'd2L/dphi0^2 is 2 per data point: 4 for two points'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
