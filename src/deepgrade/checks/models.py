"""Evaluating a student's trained weights in the grader's own copy of the architecture."""

from __future__ import annotations

from typing import Any

import numpy as np


def load_weights(model: Any, state: Any, name: str) -> Any:
    """Load ``state`` (a dict of arrays, as fetched from the student's ``state_dict()``) into the
    grader's ``model`` (a ``torch.nn.Module``), checking every key and shape first."""
    import torch

    if not isinstance(state, dict):
        raise AssertionError(f"{name}.state_dict() did not return a dict of weights")
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    extra = sorted(set(state) - set(expected))
    if missing or extra:
        raise AssertionError(
            f"{name} does not have the specified architecture: missing weights {missing[:4]}, "
            f"unexpected weights {extra[:4]}")
    loaded = {}
    for key, ref in expected.items():
        array = np.asarray(state[key])
        if array.dtype.kind not in "biuf":
            raise AssertionError(f"{name}: weight {key} is not numeric")
        if tuple(array.shape) != tuple(ref.shape):
            raise AssertionError(f"{name}: weight {key} has shape {tuple(array.shape)}, "
                                 f"expected {tuple(ref.shape)}")
        if not np.isfinite(array).all():
            raise AssertionError(f"{name}: weight {key} contains NaN or inf")
        loaded[key] = torch.as_tensor(array, dtype=ref.dtype)
    model.load_state_dict(loaded)
    model.eval()
    return model


def accuracy(model: Any, x: Any, y: Any, batch_size: int = 4096) -> float:
    """Fraction of rows of ``x`` (N, ...) whose argmax logit equals the label ``y`` (N,)."""
    import torch

    x = torch.as_tensor(np.asarray(x))
    y = torch.as_tensor(np.asarray(y))
    correct = 0
    with torch.no_grad():
        for start in range(0, len(x), batch_size):
            logits = model(x[start:start + batch_size])
            correct += int((logits.argmax(dim=1) == y[start:start + batch_size]).sum())
    return correct / max(len(x), 1)
