OK_FORMAT = True

test = {   'name': 'receptive_field',
    'points': 6,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'receptive_fields of three 3x3 layers'\n"
                                               ">>> sizes = receptive_fields([{'kernel': 3}, {'kernel': 3}, {'kernel': 3}])\n"
                                               ">>> assert sizes is not None, 'receptive_fields returned None: did you finish the function and `return`?'\n"
                                               ">>> assert len(sizes) == 3, 'one receptive-field size per layer'\n"
                                               '>>> assert list(np.asarray(sizes)) == [3, 5, 7]\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
