OK_FORMAT = True

test = {   'name': 'training',
    'points': 10,
    'suites': [   {   'cases': [   {   'code': '>>> x = np.array([[0.0, 1.0], [1.0, 0.0], [-1.0, -1.0], [0.5, 0.5], [0.0, -1.0], [-1.0, 0.0]])\n'
                                               '>>> y = np.array([0, 1, 2, 0, 1, 2])\n'
                                               '>>> model, losses = train_classifier(x, y, hidden=8, epochs=5, lr=0.1)\n'
                                               ">>> assert len(losses) == 5, 'one loss per epoch'\n"
                                               ">>> assert len(model.layers) == 3, 'Sequential([Linear, ReLU, Linear])'\n"
                                               ">>> assert np.shape(model.layers[0].params['W']) == (8, 2) and np.shape(model.layers[2].params['W']) == (3, 8), 'Linear(2, hidden) then Linear(hidden, "
                                               "3)'\n"
                                               '>>> fresh = Sequential([Linear(2, 8, seed=0), ReLU(), Linear(8, 3, seed=1)])\n'
                                               ">>> assert np.isclose(losses[0], SoftmaxCrossEntropy().forward(fresh.forward(x), y)), 'losses[0] is the loss of the network before its first update'\n"
                                               ">>> assert losses[-1] < losses[0], 'five steps of gradient descent lower the loss'\n"
                                               ">>> assert SoftmaxCrossEntropy().forward(model.forward(x), y) < losses[0], 'the returned model is the trained one: its loss is below the first'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 1}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
