"""Calibration of the `training` accuracy threshold (read by `deepgrade calibrate hw2`).

Each trial draws the hidden test's spirals from one seed, trains the reference
`train_classifier` with the arguments the hidden test uses, and measures the accuracy on 1500
fresh points of the same spirals, computed in the grader from the fetched weights, as the hidden
test does. `hidden_spirals` and `spiral_logits` are copies of the functions in the hidden test
of `training` (tests/test_hw2.py checks that they stay identical); the hidden test uses seed 7.
"""

import numpy as np

QUESTION = "training"
SEEDS = list(range(20))
METRIC = "accuracy"
# threshold = min over seeds - MARGIN, rounded down to 3 decimals; the hidden test's fixed
# threshold (0.90, from COURSE.md) must not exceed it.
MARGIN = 0.03
THRESHOLD = 0.90  # fixed by COURSE.md; the report shows how far above it the reference stays


def assert_shape(value, shape, name):
    array = np.asarray(value, dtype=np.float64)
    if array.shape != tuple(shape):
        raise AssertionError(f"{name}: expected shape {tuple(shape)}, got {array.shape}")
    return array


def hidden_spirals(n_per_class, rng):
    radius = rng.uniform(0.05, 1.0, size=(3, n_per_class))
    angle = 2 * np.pi * np.arange(3)[:, None] / 3 + 3.5 * radius + rng.normal(0.0, 0.2, size=(3, n_per_class))
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=-1).reshape(-1, 2)
    y = np.repeat(np.arange(3), n_per_class)
    return x, y


def spiral_logits(model, hidden, x):
    layers = model.layers
    assert len(layers) == 3, "train_classifier must return Sequential([Linear, ReLU, Linear])"
    p1, p2 = layers[0].params, layers[2].params
    W1 = assert_shape(p1["W"], (hidden, 2), "the first Linear layer's params['W']")
    b1 = assert_shape(p1["b"], (hidden,), "the first Linear layer's params['b']")
    W2 = assert_shape(p2["W"], (3, hidden), "the second Linear layer's params['W']")
    b2 = assert_shape(p2["b"], (3,), "the second Linear layer's params['b']")
    return np.maximum(x @ W1.T + b1, 0.0) @ W2.T + b2


def trial(student, seed: int) -> dict[str, float]:
    """Train the reference on the spirals of `seed` (as the hidden test does) and measure it."""
    rng = np.random.default_rng(seed)
    x_train, y_train = hidden_spirals(100, rng)
    x_new, y_new = hidden_spirals(500, rng)
    model, losses = student["train_classifier"](x_train, y_train, hidden=64, epochs=200, lr=0.5,
                                                 seed=seed)
    losses = np.asarray(losses, dtype=np.float64)
    logits = spiral_logits(model, 64, x_new)
    return {
        "accuracy": float(np.mean(np.argmax(logits, axis=1) == y_new)),
        "train_accuracy": float(np.mean(np.argmax(spiral_logits(model, 64, x_train), axis=1) == y_train)),
        "final_loss": float(losses[-1]),
        "loss_ratio": float(losses[-1] / losses[0]),
    }
