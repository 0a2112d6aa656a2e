"""hw3's grader-side helpers: what the hidden tests of `corner_task` and its calibration share.

Shipped in the bundle as ``grader/graderlib.py`` and imported in the grader process only
(``from graderlib import corner_cnn``); the student's kernel never receives it.
"""

import itertools

import numpy as np
import torch


def corner_cnn():
    """The grader's own copy of the architecture `build_corner_cnn` must return (logits out)."""
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 1, 3, padding=1))


def corner_inputs():
    """The 16 inputs ``(16, 1, 5, 5)`` float32 and the targets ``(16, 4)`` bool of their corners
    (0,0), (0,4), (4,0), (4,4): a corner is 1 when it equals the corner diagonally opposite."""
    X = np.zeros((16, 1, 5, 5), dtype=np.float32)
    T = np.zeros((16, 4), dtype=bool)
    for i, (tl, tr, bl, br) in enumerate(itertools.product([0, 1], repeat=4)):
        X[i, 0, 0, 0], X[i, 0, 0, 4], X[i, 0, 4, 0], X[i, 0, 4, 4] = tl, tr, bl, br
        T[i] = [tl == br, tr == bl, tr == bl, tl == br]
    return X, T


def conv2d_reference(x, w, b, dout, stride=1, padding=0):
    """The reference solution's forward and backward pass, vectorised as the solution is (a view
    of every window, then tensor contractions): what `conv_layer`'s time limit is measured
    against on the grading machine. Returns ``(out, dx, dw, db)``."""
    from numpy.lib.stride_tricks import sliding_window_view

    F, C, kh, kw = w.shape
    H, W = x.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    windows = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    out = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)
    out = out + b[None, :, None, None]
    Ho, Wo = dout.shape[2:]
    db = dout.sum(axis=(0, 2, 3))
    dw = np.tensordot(dout, windows, axes=([0, 2, 3], [0, 2, 3]))
    dxp = np.zeros_like(xp)
    for a in range(kh):
        for c in range(kw):
            dxp[:, :, a:a + stride * Ho:stride, c:c + stride * Wo:stride] += np.einsum(
                "nfhw,fk->nkhw", dout, w[:, :, a, c])
    return out, dxp[:, :, padding:padding + H, padding:padding + W], dw, db
