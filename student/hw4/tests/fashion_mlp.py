OK_FORMAT = True

test = {   'name': 'fashion_mlp',
    'points': 12,
    'suites': [   {   'cases': [   {   'code': ">>> CASE = 'build_mlp: architecture'\n"
                                               '>>> model = build_mlp()\n'
                                               ">>> assert model is not None, 'build_mlp returned None: did you finish the function and `return`?'\n"
                                               '>>> shapes = {name: tuple(w.shape) for name, w in model.state_dict().items()}\n'
                                               ">>> assert shapes == {'1.weight': (256, 784), '1.bias': (256,), '3.weight': (128, 256), '3.bias': (128,), '5.weight': (64, 128), '5.bias': (64,), "
                                               '\'7.weight\': (10, 64), \'7.bias\': (10,)}, f"build_mlp\'s weights are {shapes}: the layers must be exactly those of the question, unnamed"\n'
                                               '>>> out = model(torch.zeros(2, 1, 28, 28))\n'
                                               ">>> assert tuple(out.shape) == (2, 10), 'the model maps (N, 1, 28, 28) images to (N, 10) logits'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.5},
                                   {   'code': ">>> CASE = 'train_model: a short run'\n"
                                               '>>> _ = torch.manual_seed(0)\n'
                                               '>>> x, y = (torch.rand(64, 1, 28, 28).numpy(), torch.randint(0, 10, (64,)).numpy())\n'
                                               '>>> model = build_mlp()\n'
                                               ">>> assert model is not None, 'build_mlp returned None: did you finish the function and `return`?'\n"
                                               '>>> before = {k: np.array(v) for k, v in model.state_dict().items()}\n'
                                               '>>> history = train_model(model, x, y, x[:32], y[:32], epochs=2, batch_size=16)\n'
                                               ">>> assert history is not None, 'train_model returned None: did you finish the function and `return`?'\n"
                                               '>>> assert set(history) == {\'train_loss\', \'test_loss\'}, "train_model returns a dict with keys \'train_loss\' and \'test_loss\'"\n'
                                               ">>> assert len(history['train_loss']) == 2 and len(history['test_loss']) == 2, 'one value per epoch in each list'\n"
                                               '>>> after = model.state_dict()\n'
                                               ">>> assert any((not np.allclose(np.asarray(after[k]), w) for k, w in before.items())), 'train_model trains the model it is given: its weights "
                                               "change'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.25},
                                   {   'code': ">>> CASE = 'predict_proba: rows of probabilities'\n"
                                               '>>> _ = torch.manual_seed(0)\n'
                                               '>>> x = torch.rand(5, 1, 28, 28).numpy()\n'
                                               '>>> p = predict_proba(build_mlp(), x)\n'
                                               ">>> assert p is not None, 'predict_proba returned None: did you finish the function and `return`?'\n"
                                               '>>> p = p.detach().numpy() if isinstance(p, torch.Tensor) else np.asarray(p)\n'
                                               ">>> assert p.shape == (5, 10), 'predict_proba returns one row of 10 probabilities per image'\n"
                                               ">>> assert np.allclose(p.sum(axis=1), 1.0, atol=1e-05), 'each row of probabilities sums to 1'\n",
                                       'hidden': False,
                                       'locked': False,
                                       'points': 0.25}],
                      'scored': True,
                      'setup': '',
                      'teardown': '',
                      'type': 'doctest'}]}
