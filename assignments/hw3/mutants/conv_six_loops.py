# question: conv_layer
# mistake: correct, but a Python loop over every multiply-add (six nested loops, forward and backward): far too slow for the large case, on any machine and under any load
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
                    total = b[f]
                    for c in range(C):
                        for p in range(kh):
                            for q in range(kw):
                                total += xp[n, c, i * stride + p, j * stride + q] * w[f, c, p, q]
                    out[n, f, i, j] = total
    return out


def conv2d_backward(dout, x, w, b, stride=1, padding=0):
    dout, x, w = (np.asarray(a, dtype=np.float64) for a in (dout, x, w))
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp, dw, db = np.zeros_like(xp), np.zeros_like(w), np.zeros(F)
    for n in range(N):
        for f in range(F):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    g = dout[n, f, i, j]
                    db[f] += g
                    for c in range(C):
                        for p in range(kh):
                            for q in range(kw):
                                dw[f, c, p, q] += g * xp[n, c, i * stride + p, j * stride + q]
                                dxp[n, c, i * stride + p, j * stride + q] += g * w[f, c, p, q]
    return dxp[:, :, padding:padding + H, padding:padding + W], dw, db
