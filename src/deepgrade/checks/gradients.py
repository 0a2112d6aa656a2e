"""Gradient checks: central finite differences and torch autograd in float64."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from deepgrade.checks.compare import assert_close


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray,
                       h: float = 1e-6) -> np.ndarray:
    """Central differences of scalar ``f`` at ``x`` (any shape), restoring each entry after use.

    Returns an array of ``x.shape``: ``(f(x + h e_i) - f(x - h e_i)) / (2 h)``.
    """
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        plus = float(f(x))
        flat[i] = old - h
        minus = float(f(x))
        flat[i] = old  # restore: f may read x again later
        gflat[i] = (plus - minus) / (2 * h)
    return grad


def check_gradient(analytic: Any, f: Callable[[np.ndarray], float], x: np.ndarray, name: str,
                   *, h: float = 1e-6, rtol: float = 1e-5, atol: float = 1e-7) -> None:
    """Compare an analytic gradient with central differences of ``f`` at ``x``.

    Finite differences carry ``O(h^2)`` truncation and ``O(eps/h)`` rounding error, hence the
    looser default tolerance than an exact comparison.
    """
    assert_close(analytic, numerical_gradient(f, x, h), name, rtol=rtol, atol=atol)


def torch_gradients(fn: Callable[..., Any], *arrays: np.ndarray) -> tuple[float, list[np.ndarray]]:
    """Value and gradients of scalar ``fn(*tensors)`` by torch autograd, all in float64.

    ``arrays`` are NumPy arrays of any shapes; returns ``(value, [grad_i of arrays[i].shape])``.
    """
    import torch

    tensors = [torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in arrays]
    out = fn(*tensors)
    grads: Sequence[Any] = torch.autograd.grad(out, tensors, allow_unused=True)
    return float(out.detach()), [
        np.zeros(np.shape(a)) if g is None else g.detach().numpy() for a, g in zip(arrays, grads)
    ]
