# questions: conv_layer
# idea: explicit im2col matrix with fancy indexing, one matrix product forward, col2im with np.add.at
def _im2col_indices(C, Hp, Wp, kh, kw, stride):
    Ho, Wo = (Hp - kh) // stride + 1, (Wp - kw) // stride + 1
    c = np.repeat(np.arange(C), kh * kw)[:, None]
    a = np.tile(np.repeat(np.arange(kh), kw), C)[:, None]
    d = np.tile(np.arange(kw), C * kh)[:, None]
    rows = a + stride * np.repeat(np.arange(Ho), Wo)[None, :]
    cols = d + stride * np.tile(np.arange(Wo), Ho)[None, :]
    return c, rows, cols, Ho, Wo  # each (C*kh*kw, Ho*Wo) after broadcasting


def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, b = (np.asarray(a, dtype=np.float64) for a in (x, w, b))
    N, C = x.shape[:2]
    F, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    c, rows, cols, Ho, Wo = _im2col_indices(C, xp.shape[2], xp.shape[3], kh, kw, stride)
    columns = xp[:, c, rows, cols]  # (N, C*kh*kw, Ho*Wo)
    out = np.matmul(w.reshape(F, -1), columns) + b[None, :, None]
    return out.reshape(N, F, Ho, Wo)


def conv2d_backward(dout, x, w, b, stride=1, padding=0):
    dout, x, w = (np.asarray(a, dtype=np.float64) for a in (dout, x, w))
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    c, rows, cols, Ho, Wo = _im2col_indices(C, xp.shape[2], xp.shape[3], kh, kw, stride)
    columns = xp[:, c, rows, cols]
    g = dout.reshape(N, F, Ho * Wo)
    dw = np.einsum("nfp,nkp->fk", g, columns).reshape(w.shape)
    dcolumns = np.matmul(w.reshape(F, -1).T, g)  # (N, C*kh*kw, Ho*Wo)
    dxp = np.zeros_like(xp)
    n = np.arange(N)[:, None, None]
    np.add.at(dxp, (n, c[None], rows[None], cols[None]), dcolumns)
    return dxp[:, :, padding:padding + H, padding:padding + W], dw, g.sum(axis=(0, 2))
