OK_FORMAT = True

test = {   'name': 'output_size',
    'points': 6,
    'suites': [   {   'cases': [   {   'code': ">>> assert conv_output_size(32, 3) == 30, 'a 3x3 kernel without padding loses one pixel on each side'\n"
                                               '>>> assert conv_output_size(32, 3, padding=1) == 32\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> layers = [{'type': 'conv', 'kernel': 5}, {'type': 'pool', 'kernel': 2}]\n"
                                               ">>> assert network_output_size(28, layers) == 12, '28 -> conv 5x5 -> 24 -> pool 2x2 (stride 2) -> 12'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
