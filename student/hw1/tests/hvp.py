OK_FORMAT = True

test = {   'name': 'hvp',
    'points': 8,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'hvp_finite_difference of a quadratic'\n"
                                               '>>> A = np.array([[2.0, 1.0], [1.0, 3.0]])\n'
                                               '>>> est = hvp_finite_difference(lambda w: A @ w, np.array([1.0, -1.0]), np.array([1.0, 0.0]))\n'
                                               ">>> assert est is not None, 'hvp_finite_difference returned None: did you finish the function and `return`?'\n"
                                               '>>> assert np.shape(est) == (2,)\n'
                                               ">>> assert np.allclose(est, A @ np.array([1.0, 0.0]), atol=0.0001), 'for a quadratic loss the estimate is A v up to rounding'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1},
                                   {   'code': ">>> CASE = 'hvp_exact of a quadratic'\n"
                                               '>>> loss = lambda w: 0.5 * torch.sum(w ** 2) * 3.0\n'
                                               '>>> hv = hvp_exact(loss, torch.ones(4, dtype=torch.float64), torch.arange(4, dtype=torch.float64))\n'
                                               ">>> assert hv is not None, 'hvp_exact returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.allclose(np.asarray(hv), 3.0 * np.arange(4)), 'the Hessian of 1.5 |w|^2 is 3 I'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
