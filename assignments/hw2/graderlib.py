"""hw2's grader-side helpers: code the hidden tests and the calibration share, written once.

Shipped in the bundle as ``grader/graderlib.py`` and imported in the grader process only
(``from graderlib import check_mlp``); the student's kernel never receives it. Student code is
passed in explicitly (``check_mlp(MLP, ...)``): this module sees nothing of the student's
namespace, and every value it reads from a student object arrives as data through the proxy.
"""

import numpy as np
import torch

from deepgrade.checks import Failures, assert_close, assert_shape, seed_everything

KEYS = ["W1", "b1", "W2", "b2"]
# The gradients in the order backpropagation computes them: a wrong key nearest the output is
# named first, since the keys after it usually go wrong only because of it.
BACKWARD_KEYS = ["dJdW2", "dJdb2", "dJdW1", "dJdb1"]


# -- mlp ----------------------------------------------------------------------------------------
def torch_act(name, z):
    """The activation ``name`` on a tensor, as torch computes it."""
    if name == "relu":
        return torch.relu(z)
    if name == "sigmoid":
        return torch.sigmoid(z)
    return z


def torch_loss(loss, y_hat, y):
    """``"mse"`` or ``"bce"`` of a tensor ``y_hat`` against the array ``y``."""
    if loss == "mse":
        return torch.mean((y_hat - torch.tensor(y)) ** 2)
    return torch.nn.functional.binary_cross_entropy(y_hat, torch.tensor(y))


def mlp_shapes(n_in, n_hid, n_out):
    return [(n_hid, n_in), (n_hid,), (n_out, n_hid), (n_out,)]


def fetch_parameters(model, n_in, n_hid, n_out, label):
    """The student's ``model.parameters`` as float arrays, each checked for its shape."""
    params = model.parameters
    assert isinstance(params, dict), f"{label}.parameters must be a dict of arrays"
    out = {}
    for key, shape in zip(KEYS, mlp_shapes(n_in, n_hid, n_out)):
        assert key in params, f"{label}.parameters has no key {key!r}"
        out[key] = assert_shape(params[key], shape, f"{label}.parameters[{key!r}]")
    return out


def use_test_parameters(model, rng, n_in, n_hid, n_out, label):
    """Give ``model`` parameters drawn by the test (never zero, never the student's choice), so
    that every gradient is compared where it is informative; returns them."""
    fan_in = {"W1": n_in, "b1": n_in, "W2": n_hid, "b2": n_hid}  # the usual scale: well conditioned
    params = {k: rng.uniform(-1.0, 1.0, size=s) / np.sqrt(fan_in[k])
              for k, s in zip(KEYS, mlp_shapes(n_in, n_hid, n_out))}
    fetch_parameters(model, n_in, n_hid, n_out, label)  # the student's own are well formed
    model.parameters = params
    back = fetch_parameters(model, n_in, n_hid, n_out, label)
    for key in KEYS:
        assert np.array_equal(back[key], params[key]), (
            f"{label}: after the test set model.parameters, model.parameters[{key!r}] reads "
            "differently; keep the parameters in that dict and read them from it")
    return params


def expected_pass(params, f, g, x, y, loss):
    """Torch's forward, ``dJ/dy_hat`` and parameter gradients at ``params`` (float64)."""
    t = {k: torch.tensor(params[k], requires_grad=True) for k in KEYS}
    y_hat = torch_act(g, torch_act(f, torch.tensor(x) @ t["W1"].T + t["b1"]) @ t["W2"].T + t["b2"])
    leaf = y_hat.detach().clone().requires_grad_(True)
    (dJdy_hat,) = torch.autograd.grad(torch_loss(loss, leaf, y), leaf)
    grads = torch.autograd.grad(torch_loss(loss, y_hat, y), [t[k] for k in KEYS])
    return y_hat.detach().numpy(), dJdy_hat.numpy(), {"dJd" + k: gr.numpy() for k, gr in zip(KEYS, grads)}


def fetch_grads(model, label):
    grads = model.grads
    assert isinstance(grads, dict), f"{label}.grads must be a dict of arrays"
    for key in ["dJdW1", "dJdb1", "dJdW2", "dJdb2"]:
        assert key in grads, f"{label}.grads has no key {key!r}"
    return grads


def check_mlp(MLP, f, g, loss, seed):
    """Forward and every gradient of the student's ``MLP`` against torch, at parameters and
    inputs drawn from ``seed`` (sizes too), for activations ``f``, ``g`` and ``loss``."""
    rng = seed_everything(seed)
    n_in, n_hid, n_out, batch = (int(v) for v in rng.integers(2, 8, size=4))
    label = f"MLP({n_in}, {n_hid}, {n_out}, {f!r}, {g!r}, seed={seed % 1000})"
    model = MLP(n_in, n_hid, n_out, f, g, seed=seed % 1000)
    params = use_test_parameters(model, rng, n_in, n_hid, n_out, label)
    x = rng.normal(size=(batch, n_in))
    y = rng.uniform(size=(batch, n_out)) if loss == "bce" else rng.normal(size=(batch, n_out))
    y_hat, dJdy_hat, expected = expected_pass(params, f, g, x, y, loss)
    model.clear_grad_and_cache()
    failures = Failures()  # the forward and every wrong gradient, in backward order
    with failures:
        assert_close(model.forward(x), y_hat, f"{label}.forward(x) for x of shape {x.shape}, at the test's parameters")
    model.backward(dJdy_hat)
    grads = fetch_grads(model, label)
    for key in BACKWARD_KEYS:
        with failures:
            assert_close(grads[key], expected[key], f"{key} for f={f}, g={g} with {loss}_loss ({label}, batch of {batch})", atol=1e-10)
    failures.raise_any()


# -- training -----------------------------------------------------------------------------------
def hidden_spirals(n_per_class, rng):
    """The hidden test's three spirals (the notebook's make_spirals, drawn from ``rng``)."""
    radius = rng.uniform(0.05, 1.0, size=(3, n_per_class))
    angle = 2 * np.pi * np.arange(3)[:, None] / 3 + 3.5 * radius + rng.normal(0.0, 0.2, size=(3, n_per_class))
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=-1).reshape(-1, 2)
    y = np.repeat(np.arange(3), n_per_class)
    return x, y


def spiral_logits(model, hidden, x):
    """Logits ``(N, 3)`` of the student's trained Sequential, computed in the grader from its
    fetched weights: what it reports about itself plays no part."""
    layers = model.layers
    assert len(layers) == 3, "train_classifier must return Sequential([Linear, ReLU, Linear])"
    p1, p2 = layers[0].params, layers[2].params
    W1 = assert_shape(p1["W"], (hidden, 2), "the first Linear layer's params['W']")
    b1 = assert_shape(p1["b"], (hidden,), "the first Linear layer's params['b']")
    W2 = assert_shape(p2["W"], (3, hidden), "the second Linear layer's params['W']")
    b2 = assert_shape(p2["b"], (3,), "the second Linear layer's params['b']")
    return np.maximum(x @ W1.T + b1, 0.0) @ W2.T + b2


def cross_entropy(logits, y):
    """Mean cross-entropy of integer labels ``y`` (N,) under ``logits`` (N, C)."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(y)), y].mean())


def initial_loss(x, y, hidden, seed):
    """The loss of ``Sequential([Linear(2, hidden, seed), ReLU(), Linear(hidden, 3, seed + 1)])``
    before any update, with the He initialisation of the question."""
    W1 = np.random.default_rng(seed).normal(0, np.sqrt(2 / 2), (hidden, 2))
    W2 = np.random.default_rng(seed + 1).normal(0, np.sqrt(2 / hidden), (3, hidden))
    return cross_entropy(np.maximum(x @ W1.T, 0.0) @ W2.T, y)


# -- training, judged on its own merits ---------------------------------------------------------
# train_classifier builds on the student's layers (question `layers`). When those are wrong, a
# network trained with them cannot reach the accuracy, however right the training loop is; the
# training tests then judge the loop itself: the grader runs full-batch gradient descent with the
# student's own layers, and train_classifier must do exactly that.
def layer_faults(Linear, ReLU, Sequential, SoftmaxCrossEntropy, seed):
    """Short messages naming what is wrong in the layers train_classifier uses (empty when they
    are right): Linear, ReLU, Sequential and SoftmaxCrossEntropy on one small batch, against
    NumPy at the layers' own parameters."""
    from deepgrade.grade.session import StudentError

    rng = np.random.default_rng([809, seed])
    x, labels = rng.normal(size=(5, 2)), rng.integers(0, 3, size=5)
    faults = Failures()
    try:
        lin1, lin2 = Linear(2, 4, 1), Linear(4, 3, 2)
        net = Sequential([lin1, ReLU(), lin2])
        W1, b1 = (np.asarray(lin1.params[k], dtype=float) for k in ("W", "b"))
        W2, b2 = (np.asarray(lin2.params[k], dtype=float) for k in ("W", "b"))
        h = x @ W1.T + b1
        logits = np.maximum(h, 0.0) @ W2.T + b2
        with faults:
            assert_close(net.forward(x), logits, "Sequential([Linear, ReLU, Linear]).forward(x)", rtol=1e-6)
        loss_fn = SoftmaxCrossEntropy()
        with faults:
            assert_close(loss_fn.forward(logits, labels), cross_entropy(logits, labels), "SoftmaxCrossEntropy().forward", rtol=1e-6)
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        dlogits = (probs - np.eye(3)[labels]) / len(labels)
        with faults:
            assert_close(loss_fn.backward(), dlogits, "SoftmaxCrossEntropy().backward()", rtol=1e-6)
        net.backward(dlogits)
        dh = (dlogits @ W2) * (h > 0)
        for name, got, want in [("grads['W'] of the second Linear", lin2.grads["W"], dlogits.T @ np.maximum(h, 0.0)),
                                ("grads['b'] of the second Linear", lin2.grads["b"], dlogits.sum(axis=0)),
                                ("grads['W'] of the first Linear", lin1.grads["W"], dh.T @ x),
                                ("grads['b'] of the first Linear", lin1.grads["b"], dh.sum(axis=0))]:
            with faults:
                assert_close(got, want, f"{name} after Sequential.backward", rtol=1e-6)
    except StudentError as exc:
        faults.messages.append(str(exc))
    return faults.messages


def _same_run(got, expected, what):
    """``got`` equals the grader's run ``expected`` (1-D): NaN and inf where it has them, close
    elsewhere."""
    got = assert_shape(got, expected.shape, what)
    bad = ~np.isfinite(expected)
    assert np.array_equal(np.isnan(got[bad]), np.isnan(expected[bad])) and np.array_equal(
        got[bad & ~np.isnan(expected)], expected[bad & ~np.isnan(expected)]), f"{what} differs where the grader's run is not finite"
    assert_close(np.where(bad, 0.0, got), np.where(bad, 0.0, expected), what, rtol=1e-6, atol=1e-9)


def check_loop_with_own_layers(train_classifier, Linear, ReLU, Sequential, SoftmaxCrossEntropy,
                               faults, seed):
    """Judge train_classifier alone, with the student's own (wrong) layers: on 30 spiral points,
    4 epochs at lr 0.05, its losses and final weights must be those of the grader's full-batch
    gradient descent with the same layers."""
    from deepgrade.grade.session import StudentError

    why = (f"your layers from question layers are wrong ({faults[0]}), so train_classifier was "
           "judged on whether it runs gradient descent with your own layers")
    rng = np.random.default_rng([810, seed])
    x, y = hidden_spirals(10, rng)
    hidden, epochs, lr, s = 8, 4, 0.05, int(rng.integers(100))
    try:
        layers = [Linear(2, hidden, s), ReLU(), Linear(hidden, 3, s + 1)]
        net, loss_fn, expected = Sequential(layers), SoftmaxCrossEntropy(), []
        for _ in range(epochs):
            expected.append(float(np.asarray(loss_fn.forward(net.forward(x), y), dtype=float)))
            net.backward(loss_fn.backward())
            for layer in (layers[0], layers[2]):
                params, grads = layer.params, layer.grads
                layer.params = {k: np.asarray(params[k], dtype=float) - lr * np.asarray(grads[k], dtype=float) for k in ("W", "b")}
    except (StudentError, KeyError, TypeError, ValueError) as exc:
        raise AssertionError(f"your layers from question layers do not run ({exc}), so "
                             "train_classifier could not be judged: finish them first") from None
    result = train_classifier(x, y, hidden=hidden, epochs=epochs, lr=lr, seed=s)
    assert isinstance(result, tuple) and len(result) == 2, f"train_classifier must return a pair (model, losses); {why}"
    model, losses = result
    _same_run(losses, np.array(expected), f"the losses train_classifier(x, y, hidden={hidden}, epochs={epochs}, lr={lr}, seed={s}) reports ({why})")
    trained = model.layers
    for i in (0, 2):
        for k in ("W", "b"):
            _same_run(np.ravel(trained[i].params[k]), np.ravel(np.asarray(layers[i].params[k], dtype=float)),
                      f"params[{k!r}] of layer {i + 1} of the model train_classifier returns, after {epochs} epochs ({why})")


def unfinished_trainer(train_classifier):
    """Whether ``train_classifier`` still returns None (the template): told so before anything
    about the layers it builds on. A crash here says nothing yet; the tests report it later."""
    from deepgrade.grade.session import StudentError

    x, y = hidden_spirals(3, np.random.default_rng(0))
    try:
        return train_classifier(x, y, hidden=4, epochs=1, lr=0.1, seed=0) is None
    except StudentError:
        return False
