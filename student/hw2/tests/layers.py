OK_FORMAT = True

test = {   'name': 'layers',
    'points': 14,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'Linear: shapes'\n"
                                               '>>> layer = Linear(3, 2, seed=0)\n'
                                               ">>> assert np.shape(layer.params['W']) == (2, 3) and np.shape(layer.params['b']) == (2,), 'W is (out, in), b is (out,)'\n"
                                               '>>> out = layer.forward(np.ones((4, 3)))\n'
                                               ">>> assert out is not None, 'Linear.forward returned None: did you finish it and `return`?'\n"
                                               ">>> assert np.shape(out) == (4, 2), 'x @ W.T + b has one row per row of x'\n"
                                               '>>> dx = layer.backward(np.ones((4, 2)))\n'
                                               ">>> assert dx is not None, 'Linear.backward returned None: did you finish it and `return` dx?'\n"
                                               ">>> assert np.shape(dx) == (4, 3), 'backward returns dx, shaped like x'\n"
                                               ">>> assert np.shape(layer.grads['W']) == (2, 3) and np.shape(layer.grads['b']) == (2,), 'grads are shaped like params'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> CASE = 'Sequential and SoftmaxCrossEntropy: shapes'\n"
                                               '>>> net = Sequential([Linear(2, 4, seed=0), ReLU(), Linear(4, 3, seed=1)])\n'
                                               ">>> assert len(net.layers) == 3, 'Sequential keeps its layers in the list attribute layers'\n"
                                               '>>> loss_fn = SoftmaxCrossEntropy()\n'
                                               '>>> logits = net.forward(np.ones((5, 2)))\n'
                                               '>>> assert logits is not None, "Sequential.forward (or a layer\'s forward) returned None: did you finish it and `return`?"\n'
                                               '>>> loss = loss_fn.forward(logits, np.array([0, 1, 2, 0, 1]))\n'
                                               ">>> assert loss is not None, 'SoftmaxCrossEntropy.forward returned None: did you finish it and `return`?'\n"
                                               ">>> assert np.ndim(loss) == 0 and loss > 0, 'the mean cross-entropy is one positive number'\n"
                                               '>>> dlogits = loss_fn.backward()\n'
                                               ">>> assert dlogits is not None, 'SoftmaxCrossEntropy.backward returned None: did you finish it and `return` dlogits?'\n"
                                               ">>> assert np.shape(dlogits) == (5, 3), 'dlogits is shaped like the logits'\n"
                                               ">>> assert np.allclose(np.sum(dlogits, axis=1), 0.0), 'each row of softmax - onehot sums to 0'\n"
                                               ">>> assert np.shape(net.backward(dlogits)) == (5, 2), 'Sequential.backward returns dx, shaped like the input'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
