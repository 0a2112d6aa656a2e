# question: conv_layer
# mistake: correct, but a Python loop over every multiply-add (six nested loops): far too slow for the large case, on any machine and under any load
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
