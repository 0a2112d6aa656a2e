"""hw4's grader-side helpers: the references the hidden tests and the calibration share.

Shipped in the bundle as ``grader/graderlib.py`` and imported in the grader process only
(``from graderlib import fashion_mlp``); the student's kernel never receives it.
"""

import numpy as np
import torch
from torch import nn


def nll(phi, x, y):
    """The logistic negative log-likelihood (summed) of labels ``y`` (n,) at ``phi`` (2,), by torch."""
    z = float(phi[0]) + float(phi[1]) * torch.tensor(x)
    return float(torch.nn.functional.binary_cross_entropy_with_logits(z, torch.tensor(y), reduction="sum"))


def nll_grad(phi, x, y):
    """Its gradient ``(2,)`` by autograd."""
    p = torch.tensor(np.asarray(phi, dtype=np.float64), requires_grad=True)
    z = p[0] + p[1] * torch.tensor(x)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, torch.tensor(y), reduction="sum")
    (g,) = torch.autograd.grad(loss, p)
    return g.numpy()


def marginal(X, W, pi):
    """``sum_k pi[k] sigmoid(W[k] @ x)`` for each row of ``X`` (N, d): ``(N,)``, by torch."""
    return (torch.sigmoid(torch.tensor(X) @ torch.tensor(W).T) @ torch.tensor(pi)).numpy()


def fashion_mlp():
    """The grader's own copy of the network `build_mlp` must return, freshly initialised."""
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                         nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))


def outlier_regression(rng, n, d, fraction=0.15):
    """Data ``(X, y)`` for L1 regression: ``X`` (n, d) with a column of ones first, ``y`` (n,) a
    noisy linear function of it in which about ``fraction`` of the targets are moved by 20 to 60
    (either way): the outliers that make least squares a poor fit."""
    X = np.column_stack([np.ones(n), rng.normal(size=(n, d - 1))])
    y = X @ rng.normal(scale=3.0, size=d) + rng.normal(scale=0.5, size=n)
    k = max(1, int(round(fraction * n)))
    moved = rng.choice(n, size=k, replace=False)
    y[moved] += rng.choice([-1.0, 1.0], size=k) * rng.uniform(20.0, 60.0, size=k)
    return X, y


def l1_optimum(X, y):
    """The least value of ``||X w - y||_1`` over ``w``, computed without the student's code.

    Newton's method with a backtracking line search on the smoothed loss
    ``sum_i sqrt(r_i**2 + mu**2)``, ``r = X w - y``, for ``mu`` falling from the residuals'
    scale to 1e-12 of it (each stage starting where the last one ended). Every stage also gives
    a lower bound from the linear program's dual: ``y @ u <= ||X w - y||_1`` for any ``u`` with
    ``X.T @ u = 0`` and ``|u_i| <= 1``, and ``u = -r / sqrt(r**2 + mu**2)``, projected onto
    ``X.T @ u = 0`` and scaled into the box, is such a ``u``. The loss returned is certified to
    be within 1e-6 of the true optimum, relatively (a RuntimeError otherwise: a grader fault,
    never the student's).
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.linalg.lstsq(X, y, rcond=None)[0]
    scale = max(float(np.abs(X @ w - y).mean()), 1e-300)
    bound = -np.inf
    for mu in scale * 10.0 ** -np.arange(0, 13):
        def smoothed(v):
            return float(np.sqrt((X @ v - y) ** 2 + mu ** 2).sum())
        for _ in range(100):
            r = X @ w - y
            s = np.sqrt(r ** 2 + mu ** 2)
            g = X.T @ (r / s)
            step = np.linalg.solve((X * (mu ** 2 / s ** 3)[:, None]).T @ X, -g)
            t, f0 = 1.0, float(s.sum())
            while smoothed(w + t * step) > f0 + 1e-4 * t * float(g @ step) and t > 1e-12:
                t /= 2
            w = w + t * step
            if t * np.abs(step).max() <= 1e-15 * (1.0 + np.abs(w).max()):
                break
        r = X @ w - y
        u = -r / np.sqrt(r ** 2 + mu ** 2)
        u = u - X @ np.linalg.lstsq(X, u, rcond=None)[0]
        bound = max(bound, float(y @ (u / max(1.0, float(np.abs(u).max())))))
    loss = float(np.abs(X @ w - y).sum())
    if not loss - bound <= 1e-6 * loss:
        raise RuntimeError(f"l1_optimum: gap {loss - bound:.3g} between the loss {loss:.6g} and "
                           "its dual bound")
    return loss
