OK_FORMAT = True

test = {   'name': 'mlp',
    'points': 20,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'the shapes of MLP.parameters'\n"
                                               ">>> model = MLP(3, 5, 2, 'relu', 'identity', seed=4)\n"
                                               '>>> params = model.parameters\n'
                                               ">>> assert set(params) == {'W1', 'b1', 'W2', 'b2'}, 'parameters has the keys W1, b1, W2, b2'\n"
                                               ">>> assert np.shape(params['W1']) == (5, 3) and np.shape(params['b1']) == (5,), 'W1 is (hidden, in), b1 is (hidden,)'\n"
                                               ">>> assert np.shape(params['W2']) == (2, 5) and np.shape(params['b2']) == (2,), 'W2 is (out, hidden), b2 is (out,)'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0},
                                   {   'code': ">>> CASE = 'the shapes of MLP.forward and MLP.grads'\n"
                                               ">>> model = MLP(3, 5, 2, 'sigmoid', 'sigmoid', seed=4)\n"
                                               '>>> model.clear_grad_and_cache()\n'
                                               '>>> y_hat = model.forward(np.ones((7, 3)))\n'
                                               ">>> assert y_hat is not None, 'MLP.forward returned None: did you finish it and `return` y_hat?'\n"
                                               ">>> assert np.shape(y_hat) == (7, 2), 'one row of outputs per row of x'\n"
                                               '>>> model.backward(np.ones((7, 2)))\n'
                                               ">>> assert set(model.grads) == {'dJdW1', 'dJdb1', 'dJdW2', 'dJdb2'}, 'grads has one key per parameter'\n"
                                               ">>> assert all((np.shape(model.grads['dJd' + k]) == np.shape(v) for k, v in model.parameters.items())), 'each gradient has the shape of its "
                                               "parameter'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0},
                                   {   'code': '>>> CASE = "MLP\'s gradients against torch at chosen parameters"\n'
                                               ">>> model = MLP(3, 4, 2, 'relu', 'identity', seed=1)\n"
                                               '>>> mine = {k: np.linspace(-0.93, 1.07, np.size(v)).reshape(np.shape(v)) for k, v in model.parameters.items()}\n'
                                               '>>> for k, v in model.parameters.items():\n'
                                               '...     v[...] = mine[k]\n'
                                               '>>> model.parameters = mine\n'
                                               '>>> x = np.linspace(-1.0, 1.0, 15).reshape(5, 3)\n'
                                               '>>> y = np.linspace(0.0, 1.0, 10).reshape(5, 2)\n'
                                               '>>> t = {k: torch.tensor(v, requires_grad=True) for k, v in model.parameters.items()}\n'
                                               ">>> y_t = torch.relu(torch.tensor(x) @ t['W1'].T + t['b1']) @ t['W2'].T + t['b2']\n"
                                               '>>> J = torch.mean((y_t - torch.tensor(y)) ** 2)\n'
                                               '>>> J.backward()\n'
                                               '>>> model.clear_grad_and_cache()\n'
                                               '>>> y_hat = model.forward(x)\n'
                                               ">>> assert y_hat is not None, 'MLP.forward returned None: did you finish it and `return` y_hat?'\n"
                                               '>>> model.backward(2 * (y_hat - y) / y.size)\n'
                                               ">>> for k in ['W1', 'b1', 'W2', 'b2']:\n"
                                               '...     assert np.allclose(model.grads[\'dJd\' + k], t[k].grad.numpy()), f"dJd{k} differs from torch\'s gradient"\n',
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
