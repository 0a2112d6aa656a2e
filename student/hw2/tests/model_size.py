OK_FORMAT = True

test = {   'name': 'model_size',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> n = mlp_param_count([2, 3, 1])\n'
                                               ">>> assert n is not None and np.ndim(n) == 0, 'return one number'\n"
                                               ">>> assert n == 13, '2*3 + 3 weights and biases, then 3*1 + 1'\n"
                                               ">>> assert hessian_entries([2, 3, 1]) == 169, '13 parameters: a 13 x 13 Hessian'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
