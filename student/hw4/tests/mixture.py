OK_FORMAT = True

test = {   'name': 'mixture',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'mixture_prob at x = 0'\n"
                                               '>>> p = mixture_prob(np.zeros((3, 2)), np.ones((4, 2)), np.full(4, 0.25))\n'
                                               ">>> assert p is not None, 'mixture_prob returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.shape(p) == (3,), 'one probability per row of X'\n"
                                               ">>> assert np.allclose(p, 0.5), 'with x = 0 every component predicts 1/2'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
