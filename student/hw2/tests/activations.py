OK_FORMAT = True

test = {   'name': 'activations',
    'points': 8,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'swish at a few points'\n"
                                               '>>> out = swish(np.array([-1.0, 0.0, 2.0]), 1.0)\n'
                                               ">>> assert out is not None, 'swish returned None: did you finish the function and `return`?'\n"
                                               '>>> out = np.asarray(out)\n'
                                               ">>> assert np.shape(out) == (3,) and np.isclose(out[1], 0.0), 'swish keeps the shape of x, and swish(0) = 0'\n"
                                               ">>> assert np.isclose(swish(2.0, 50.0), 2.0) and np.isclose(swish(-2.0, 50.0), 0.0, atol=1e-12), 'for a large beta, swish is close to a ReLU'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> CASE = 'tanh_from_sigmoid at 0 and 1'\n"
                                               '>>> t0, t1 = (tanh_from_sigmoid(0.0), tanh_from_sigmoid(1.0))\n'
                                               ">>> assert t0 is not None and t1 is not None, 'tanh_from_sigmoid returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.isclose(t0, 0.0) and np.isclose(t1, np.tanh(1.0)), 'tanh(0) = 0, and tanh(1) is np.tanh(1.0)'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.25},
                                   {   'code': ">>> CASE = 'hinge_activation at a few points'\n"
                                               '>>> h = hinge_activation(np.array([-3.0, 0.0, 0.5, 3.0]), 2.0, 1.0, 1.0, -1.0)\n'
                                               ">>> assert h is not None, 'hinge_activation returned None: did you finish the function and `return`?'\n"
                                               '>>> h = np.asarray(h)\n'
                                               ">>> assert np.shape(h) == (4,) and np.allclose(h[1:3], 0.0), 'zero between beta and alpha'\n"
                                               ">>> assert np.isclose(h[3], 4.0) and np.isclose(h[0], 2.0), 'slope a = 2 beyond alpha = 1, slope -b = -1 below beta = -1'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.25}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
