OK_FORMAT = True

test = {   'name': 'output_size',
    'points': 6,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'conv_output_size of two small cases'\n"
                                               '>>> out = conv_output_size(32, 3)\n'
                                               ">>> assert out is not None, 'conv_output_size returned None: did you finish the function and `return`?'\n"
                                               ">>> assert out == 30, 'a 3x3 kernel without padding loses one pixel on each side'\n"
                                               '>>> assert conv_output_size(32, 3, padding=1) == 32\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> CASE = 'network_output_size of conv then pool'\n"
                                               ">>> layers = [{'type': 'conv', 'kernel': 5}, {'type': 'pool', 'kernel': 2}]\n"
                                               '>>> out = network_output_size(28, layers)\n'
                                               ">>> assert out is not None, 'network_output_size returned None: did you finish the function and `return`?'\n"
                                               ">>> assert out == 12, '28 -> conv 5x5 -> 24 -> pool 2x2 (stride 2) -> 12'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
