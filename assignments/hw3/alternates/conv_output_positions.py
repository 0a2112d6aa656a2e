# questions: conv_layer
# idea: loops over the output positions only, vectorised over the batch, filters and channels
def conv2d_forward(x, w, b, stride=1, padding=0):
    x, w, b = (np.asarray(a, dtype=np.float64) for a in (x, w, b))
    F, C, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    Ho = (xp.shape[2] - kh) // stride + 1
    Wo = (xp.shape[3] - kw) // stride + 1
    out = np.empty((x.shape[0], F, Ho, Wo))
    flat_w = w.reshape(F, -1)
    for i in range(Ho):
        for j in range(Wo):
            patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = patch.reshape(x.shape[0], -1) @ flat_w.T + b
    return out


def conv2d_backward(dout, x, w, b, stride=1, padding=0):
    dout, x, w = (np.asarray(a, dtype=np.float64) for a in (dout, x, w))
    F, C, kh, kw = w.shape
    N, _, H, W = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    flat_w = w.reshape(F, -1)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * stride, i * stride + kh), slice(j * stride, j * stride + kw)
            g = dout[:, :, i, j]  # (N, F)
            dw += (g.T @ xp[:, :, rows, cols].reshape(N, -1)).reshape(w.shape)
            dxp[:, :, rows, cols] += (g @ flat_w).reshape(N, C, kh, kw)
    return dxp[:, :, padding:padding + H, padding:padding + W], dw, dout.sum(axis=(0, 2, 3))
