OK_FORMAT = True

test = {   'name': 'weight_decay',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'weight_decay_step without gradient'\n"
                                               '>>> out = weight_decay_step(np.array([1.0, -2.0]), np.zeros(2), 0.1, 0.5)\n'
                                               ">>> assert out is not None, 'weight_decay_step returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.allclose(out, [0.5, -1.0]), 'with no gradient, a decay of 0.5 halves the parameters'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> CASE = 'l2_coefficient: proportional to decay'\n"
                                               '>>> c = l2_coefficient(0.1, 0.0)\n'
                                               ">>> assert c is not None, 'l2_coefficient returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.isclose(c, 0.0), 'no decay, no L2 penalty'\n"
                                               ">>> assert l2_coefficient(0.1, 0.02) > 0, 'some decay: a positive L2 coefficient'\n"
                                               ">>> assert np.isclose(l2_coefficient(0.1, 0.04), 2 * l2_coefficient(0.1, 0.02)), 'twice the decay, twice the L2 coefficient'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
