OK_FORMAT = True

test = {   'name': 'tiny_net',
    'points': 6,
    'suites': [   {   'cases': [   {   'code': '>>> CASE = "tiny_net_forward at the seed\'s initialisation"\n'
                                               ">>> theta0 = {'W_H': np.array([-1.0, 1.0, 1.0, -1.0]), 'b_H': np.array([1.0, 1.0, -1.0, 1.0]), 'W_O': np.array([-1.0, -1.0, -1.0, 1.0]), 'b_O': 1.0}\n"
                                               '>>> y = tiny_net_forward(2.0, theta0)\n'
                                               ">>> assert y is not None, 'tiny_net_forward returned None: did you finish the function and `return`?'\n"
                                               ">>> assert np.ndim(y) == 0, 'tiny_net_forward returns a single number'\n"
                                               '>>> assert np.isclose(y, -3.0), "at the seed\'s initialisation and x = 2 the output is -3"\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': '>>> CASE = "tiny_net_grad at the seed\'s initialisation"\n'
                                               ">>> theta0 = {'W_H': np.array([-1.0, 1.0, 1.0, -1.0]), 'b_H': np.array([1.0, 1.0, -1.0, 1.0]), 'W_O': np.array([-1.0, -1.0, -1.0, 1.0]), 'b_O': 1.0}\n"
                                               '>>> g = tiny_net_grad(2.0, theta0)\n'
                                               ">>> assert g is not None, 'tiny_net_grad returned None: did you finish the function and `return`?'\n"
                                               ">>> assert isinstance(g, dict) and set(g) == {'W_H', 'b_H', 'W_O', 'b_O'}, 'one gradient per parameter'\n"
                                               ">>> assert all((np.shape(g[k]) == (4,) for k in ['W_H', 'b_H', 'W_O'])) and np.ndim(g['b_O']) == 0, 'each gradient has the shape of its parameter'\n"
                                               ">>> assert np.isclose(g['b_O'], 1.0) and np.allclose(g['W_O'], np.maximum(theta0['W_H'] * 2.0 + theta0['b_H'], 0.0)), 'the output moves one for one "
                                               "with b_O, and with W_O[i] by the activation relu(W_H[i] x + b_H[i])'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
