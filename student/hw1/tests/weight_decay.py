OK_FORMAT = True

test = {   'name': 'weight_decay',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> out = weight_decay_step(np.array([1.0, -2.0]), np.zeros(2), 0.1, 0.0)\n'
                                               ">>> assert np.allclose(out, [1.0, -2.0]), 'no decay and no gradient: nothing moves'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {'code': '>>> c = l2_coefficient(0.1, 0.0)\n>>> assert np.isclose(c, 0.0)\n', 'hidden': False, 'locked': False, 'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
