# questions: conv_layer
# idea: a Python loop over every output position of every image and filter, NumPy over each window (C x kh x kw): slow (about 300 times the reference, 2.5 s) but within the course's limit
def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, b = (np.asarray(a, dtype=np.float64) for a in (x, w, b))
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    Ho, Wo = (xp.shape[2] - kh) // stride + 1, (xp.shape[3] - kw) // stride + 1
    out = np.zeros((N, F, Ho, Wo))
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    out[n, f, i, j] = np.sum(xp[n, :, i*stride:i*stride+kh, j*stride:j*stride+kw] * w[f]) + b[f]
    return out


def conv2d_backward(dout, x, w, b, stride=1, padding=0):
    dout, x, w = (np.asarray(a, dtype=np.float64) for a in (dout, x, w))
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(N):
        for f in range(F):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    g = dout[n, f, i, j]
                    win = xp[n, :, i*stride:i*stride+kh, j*stride:j*stride+kw]
                    dw[f] += g * win
                    dxp[n, :, i*stride:i*stride+kh, j*stride:j*stride+kw] += g * w[f]
    return dxp[:, :, padding:padding + H, padding:padding + W], dw, db
