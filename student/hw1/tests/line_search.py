OK_FORMAT = True

test = {   'name': 'line_search',
    'points': 6,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'line_search_gd: shape and start'\n"
                                               '>>> path = line_search_gd(0.5, 3)\n'
                                               ">>> assert path is not None, 'line_search_gd returned None: did you finish the function and `return`?'\n"
                                               '>>> path = np.asarray(path, dtype=float)\n'
                                               ">>> assert np.shape(path) == (4, 2), 'steps + 1 rows, one per iterate, start included'\n"
                                               ">>> assert np.allclose(path[0], [0.5, 1.0]), 'the first row is the starting point (b, 1)'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
