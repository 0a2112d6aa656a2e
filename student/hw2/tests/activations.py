OK_FORMAT = True

test = {   'name': 'activations',
    'points': 8,
    'suites': [   {   'cases': [   {   'code': '>>> out = swish(np.array([-1.0, 0.0, 2.0]), 1.0)\n'
                                               ">>> assert np.shape(out) == (3,) and np.isclose(out[1], 0.0), 'swish keeps the shape of x, and swish(0) = 0'\n"
                                               ">>> assert np.isclose(tanh_from_sigmoid(0.0), 0.0), 'tanh(0) = 0'\n"
                                               '>>> h = hinge_activation(np.array([-3.0, 0.0, 0.5, 3.0]), 2.0, 1.0, 1.0, -1.0)\n'
                                               ">>> assert np.shape(h) == (4,) and np.allclose(h[1:3], 0.0), 'zero between beta and alpha'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
