OK_FORMAT = True

test = {   'name': 'squashed_bce',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'squashed_bce at z = 0'\n"
                                               '>>> loss = squashed_bce(np.array([0.0, 0.0, 5.0]), np.array([1.0, 0.0, 1.0]))\n'
                                               ">>> assert loss is not None, 'squashed_bce returned None: did you finish the function and `return`?'\n"
                                               '>>> loss = np.asarray(loss, dtype=float)\n'
                                               ">>> assert np.shape(loss) == (3,), 'one loss per element, no averaging'\n"
                                               ">>> assert np.allclose(loss[:2], np.log(2)), 'at z = 0 the prediction is 0.5 whichever the label'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
