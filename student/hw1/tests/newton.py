OK_FORMAT = True

test = {   'name': 'newton',
    'points': 6,
    'suites': [   {   'cases': [   {   'code': '>>> d = newton_step(np.array([2.0, -4.0]), np.array([[2.0, 0.0], [0.0, 4.0]]))\n'
                                               ">>> assert d is not None, 'newton_step returned None: did you finish the function and `return`?'\n"
                                               '>>> d = np.asarray(d, dtype=float)\n'
                                               ">>> assert d.shape == (2,), f'one entry per parameter: expected shape (2,), got {d.shape}'\n"
                                               ">>> assert np.allclose(d, [-1.0, 1.0]), 'with hess = diag(2, 4) and grad = (2, -4), hess @ d = -grad gives d = (-1, 1)'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': '>>> A = np.array([[3.0, 1.0], [1.0, 2.0]])\n'
                                               '>>> b = np.array([1.0, 1.0])\n'
                                               '>>> def quadratic_grad(w):\n'
                                               '...     return A @ w - b\n'
                                               '>>> def quadratic_hess(w):\n'
                                               '...     return A\n'
                                               '>>> path = newton_minimize(quadratic_grad, quadratic_hess, np.array([5.0, -5.0]), 2)\n'
                                               ">>> assert path is not None, 'newton_minimize returned None: did you finish the function and `return`?'\n"
                                               '>>> path = np.asarray(path, dtype=float)\n'
                                               ">>> assert path.shape == (3, 2), f'steps + 1 rows (the start included), one column per coordinate: expected (3, 2), got {path.shape}'\n"
                                               ">>> assert np.allclose(path[0], [5.0, -5.0]), 'the first row is the start w0'\n"
                                               ">>> assert np.allclose(path[1], np.linalg.solve(A, b)), 'on the quadratic w.A.w / 2 - b.w one Newton step lands on its minimiser, the solution of A w "
                                               "= b'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
