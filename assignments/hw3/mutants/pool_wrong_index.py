# question: pooling
# mistake: unravels the flat argmax of a window the wrong way round (column, row)
def max_pool2d_backward(dout, x, kernel, stride=None):
    stride = kernel if stride is None else stride
    x, dout = np.asarray(x, dtype=np.float64), np.asarray(dout, dtype=np.float64)
    windows = sliding_window_view(x, (kernel, kernel), axis=(2, 3))[:, :, ::stride, ::stride]
    N, C, Ho, Wo = windows.shape[:4]
    c, a = np.divmod(windows.reshape(N, C, Ho, Wo, kernel * kernel).argmax(axis=-1), kernel)
    n, ch, i, j = np.indices((N, C, Ho, Wo))
    dx = np.zeros_like(x)
    np.add.at(dx, (n, ch, i * stride + a, j * stride + c), dout)
    return dx
