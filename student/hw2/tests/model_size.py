OK_FORMAT = True

test = {   'name': 'model_size',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'mlp_param_count of a small network'\n"
                                               '>>> n = mlp_param_count([2, 3, 1])\n'
                                               ">>> assert n is not None, 'mlp_param_count returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.ndim(n) == 0, 'return one number'\n"
                                               ">>> assert n == 13, '2*3 + 3 weights and biases, then 3*1 + 1'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> CASE = 'hessian_entries of a small network'\n"
                                               '>>> n = hessian_entries([2, 3, 1])\n'
                                               ">>> assert n is not None, 'hessian_entries returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.ndim(n) == 0, 'return one number'\n"
                                               ">>> assert n == 169, '13 parameters: a 13 x 13 Hessian'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
