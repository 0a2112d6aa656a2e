"""Calibration of hw3's `corner_task`: does the reference training recipe succeed on every seed?

Read by `deepgrade calibrate hw3`. After the reference notebook has run in a kernel, `trial`
trains a fresh `build_corner_cnn()` with the notebook's own `train_corner_model` for one seed,
fetches its weights and evaluates them in the grader exactly as the hidden test does: the grader's
own copy of the architecture, the grader's own 16 inputs (both from hw3's `graderlib.py`, which
the hidden test imports too), logit > 0 means 1. The hidden test
requires every one of the 64 corner pixels right, so the metric must be 1.0 on every seed
(MARGIN 0: there is no threshold to lower, the task is all or nothing).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from graderlib import corner_cnn, corner_inputs  # the hidden test's own

QUESTION = "corner_task"
SEEDS = list(range(20))
METRIC = "corners_correct"  # fraction of the 64 corner pixels of the 16 inputs classified right
MARGIN = 0.0
THRESHOLD = 1.0  # what the hidden test requires of `corner_model`

# (row, column) of the four corners, and the corner each one is compared with
CORNERS = [(0, 0), (0, 4), (4, 0), (4, 4)]


def evaluate(state: dict[str, Any]) -> tuple[float, float]:
    """For weights `state` (a dict of arrays): the fraction of the 64 corner pixels right, and
    the smallest signed corner logit (positive when right; how far the worst corner is from
    flipping)."""
    import torch

    from deepgrade.checks import load_weights

    model = load_weights(corner_cnn(), state, "the calibration model")
    X, T = corner_inputs()
    with torch.no_grad():
        logits = model(torch.tensor(X)).numpy()[:, 0]
    corners = np.stack([logits[:, r, c] for r, c in CORNERS], axis=1)
    signed = np.where(T, corners, -corners)
    return float(((corners > 0) == T).mean()), float(signed.min())


def trial(student: Any, seed: int) -> dict[str, float]:
    """Train a fresh model with the reference notebook's recipe for `seed`; evaluate it here."""
    source = (
        "_calibration_model = build_corner_cnn()\n"
        "_calibration_X, _calibration_Y = make_corner_dataset()\n"
        f"_calibration_losses = train_corner_model(_calibration_model, _calibration_X, "
        f"_calibration_Y, seed={int(seed)})\n"
    )
    student.run_cell(source)  # raises if the cell fails
    fraction, margin = evaluate(student["_calibration_model"].state_dict())
    losses = np.asarray(student["_calibration_losses"], dtype=np.float64)
    return {METRIC: fraction, "min_corner_logit_margin": margin, "final_loss": float(losses[-1])}
