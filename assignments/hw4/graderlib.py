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
