OK_FORMAT = True

test = {   'name': 'softmax',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'softmax of two equal numbers'\n"
                                               '>>> p = softmax(np.array([0.0, 0.0]))\n'
                                               ">>> assert p is not None, 'softmax returned None: did you finish the function and `return`?'\n"
                                               '>>> assert np.allclose(p, [0.5, 0.5])\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> CASE = 'softmax of a (3, 4) batch'\n"
                                               '>>> q = softmax(np.zeros((3, 4)))\n'
                                               ">>> assert q is not None, 'softmax returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.shape(q) == (3, 4), 'softmax must keep the shape of its input'\n"
                                               ">>> assert np.allclose(np.sum(q, axis=-1), 1.0), 'each row must sum to 1'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
