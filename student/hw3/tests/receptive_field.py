OK_FORMAT = True

test = {   'name': 'receptive_field',
    'points': 6,
    'suites': [   {   'cases': [   {   'code': ">>> sizes = receptive_fields([{'kernel': 3}, {'kernel': 3}, {'kernel': 3}])\n"
                                               ">>> assert sizes is not None and len(sizes) == 3, 'one receptive-field size per layer'\n"
                                               '>>> assert list(np.asarray(sizes)) == [3, 5, 7]\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
