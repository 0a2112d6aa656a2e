# question: conv_layer
# mistake: returns the gradient of the padded input (the padding is not cropped from dx)
def conv2d_backward(dout, x, w, b, stride=1, padding=0):
    dout, x, w = (np.asarray(a, dtype=np.float64) for a in (dout, x, w))
    F, C, kh, kw = w.shape
    Ho, Wo = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    windows = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    db = dout.sum(axis=(0, 2, 3))
    dw = np.tensordot(dout, windows, axes=([0, 2, 3], [0, 2, 3]))
    dxp = np.zeros_like(xp)
    for a in range(kh):
        for c in range(kw):
            dxp[:, :, a:a + stride * Ho:stride, c:c + stride * Wo:stride] += np.einsum(
                "nfhw,fk->nkhw", dout, w[:, :, a, c])
    return dxp, dw, db
