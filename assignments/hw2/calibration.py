"""Calibration of the `training` accuracy threshold (read by `deepgrade calibrate hw2`).

Each trial draws the hidden test's spirals from one seed, trains the reference
`train_classifier` with the arguments the hidden test uses, and measures the accuracy on 1500
fresh points of the same spirals, computed in the grader from the fetched weights, as the hidden
test does: `hidden_spirals` and `spiral_logits` are the hidden test's own, from hw2's grader-side
`graderlib.py`. The hidden test uses seed 7.
"""

import numpy as np
from graderlib import hidden_spirals, spiral_logits

QUESTION = "training"
SEEDS = list(range(20))
METRIC = "accuracy"
# threshold = min over seeds - MARGIN, rounded down to 3 decimals; the hidden test's fixed
# threshold (0.90, from docs/course.md) must not exceed it.
MARGIN = 0.03
THRESHOLD = 0.90  # fixed by docs/course.md; the report shows how far above it the reference stays


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
