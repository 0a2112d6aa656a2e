OK_FORMAT = True

test = {   'name': 'squashed_bce',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': '>>> loss = squashed_bce(np.array([0.0, 0.0, 5.0]), np.array([1.0, 0.0, 1.0]))\n'
                                               ">>> assert np.shape(loss) == (3,), 'one loss per element, no averaging'\n"
                                               ">>> assert np.allclose(loss[:2], np.log(2)), 'at z = 0 the prediction is 0.5 whichever the label'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
