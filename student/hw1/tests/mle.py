OK_FORMAT = True

test = {   'name': 'mle',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'mle_gaussian_mean of 1, 2, 3'\n"
                                               '>>> mean = mle_gaussian_mean(np.array([1.0, 2.0, 3.0]))\n'
                                               ">>> assert mean is not None, 'mle_gaussian_mean returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.isclose(mean, 2.0), 'the mean of 1, 2, 3 is 2'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0},
                                   {   'code': ">>> CASE = 'mle_exponential_rate: scaling'\n"
                                               '>>> rate = mle_exponential_rate(np.array([2.0, 2.0]))\n'
                                               ">>> assert rate is not None, 'mle_exponential_rate returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.ndim(rate) == 0, 'return a single number'\n"
                                               ">>> assert rate > 0, 'a rate is positive'\n"
                                               ">>> assert np.isclose(mle_exponential_rate(np.array([4.0, 4.0])), rate / 2), 'waiting twice as long between events halves the rate'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
