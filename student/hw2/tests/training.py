OK_FORMAT = True

test = {   'name': 'training',
    'points': 10,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'train_classifier on six points'\n"
                                               '>>> x = np.array([[0.0, 1.0], [1.0, 0.0], [-1.0, -1.0], [0.5, 0.5], [0.0, -1.0], [-1.0, 0.0]])\n'
                                               '>>> y = np.array([0, 1, 2, 0, 1, 2])\n'
                                               '>>> result = train_classifier(x, y, hidden=8, epochs=5, lr=0.1)\n'
                                               ">>> assert result is not None, 'train_classifier returned None: did you finish the function and `return`?'\n"
                                               '>>> probe = SoftmaxCrossEntropy()\n'
                                               '>>> probe_loss = probe.forward(np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]), np.array([0, 1]))\n'
                                               '>>> probe_grad = probe.backward()\n'
                                               '>>> layers_ok = probe_loss is not None and probe_grad is not None and np.isclose(probe_loss, np.log(3.0)) and np.allclose(probe_grad, (np.full((2, 3), '
                                               '1 / 3) - np.eye(3)[[0, 1]]) / 2)\n'
                                               '>>> model, losses = result\n'
                                               ">>> assert len(losses) == 5, 'one loss per epoch'\n"
                                               ">>> assert len(model.layers) == 3, 'Sequential([Linear, ReLU, Linear])'\n"
                                               ">>> assert np.shape(model.layers[0].params['W']) == (8, 2) and np.shape(model.layers[2].params['W']) == (3, 8), 'Linear(2, hidden) then Linear(hidden, "
                                               "3)'\n"
                                               '>>> fresh = Sequential([Linear(2, 8, seed=0), ReLU(), Linear(8, 3, seed=1)])\n'
                                               ">>> assert np.isclose(losses[0], SoftmaxCrossEntropy().forward(fresh.forward(x), y)), 'losses[0] is the loss of the network before its first update'\n"
                                               '>>> if not layers_ok:\n'
                                               '...     assert not np.allclose(np.asarray(model.layers[2].params[\'W\']), np.asarray(fresh.layers[2].params[\'W\'])), "the returned model is the '
                                               'trained one: its weights differ from the untrained network\'s"\n'
                                               '... else:\n'
                                               "...     assert losses[-1] < losses[0], f'five steps of gradient descent lower the loss; yours were {np.round(np.asarray(losses, dtype=float), "
                                               "3).tolist()}'\n"
                                               "...     assert SoftmaxCrossEntropy().forward(model.forward(x), y) < losses[0], 'the returned model is the trained one: its loss is below the first'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
