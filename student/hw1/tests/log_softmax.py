OK_FORMAT = True

test = {   'name': 'log_softmax',
    'points': 4,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'log_softmax of two equal numbers'\n"
                                               '>>> out = log_softmax(np.array([0.0, 0.0]))\n'
                                               ">>> assert out is not None, 'log_softmax returned None: did you finish the function and `return`?'\n"
                                               '>>> assert np.allclose(out, np.log([0.5, 0.5]))\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> CASE = 'log_softmax of a (2, 3) batch'\n"
                                               '>>> out = log_softmax(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]))\n'
                                               ">>> assert out is not None, 'log_softmax returned None: did you finish the function and `return`?'\n"
                                               '>>> assert np.shape(out) == (2, 3)\n'
                                               ">>> assert np.all(np.isfinite(out)) and np.all(np.asarray(out) <= 0), 'log-probabilities are finite and at most 0'\n"
                                               ">>> assert np.allclose(np.exp(out).sum(axis=-1), 1.0), 'the probabilities exp(log_softmax(x)) of each row sum to 1'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
