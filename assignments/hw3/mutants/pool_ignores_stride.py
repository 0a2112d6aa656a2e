# question: pooling
# mistake: always uses stride = kernel, even when a smaller stride is given
def max_pool2d_forward(x, kernel, stride=None):
    x = np.asarray(x, dtype=np.float64)
    windows = sliding_window_view(x, (kernel, kernel), axis=(2, 3))[:, :, ::kernel, ::kernel]
    return windows.max(axis=(4, 5))


def max_pool2d_backward(dout, x, kernel, stride=None):
    x, dout = np.asarray(x, dtype=np.float64), np.asarray(dout, dtype=np.float64)
    windows = sliding_window_view(x, (kernel, kernel), axis=(2, 3))[:, :, ::kernel, ::kernel]
    N, C, Ho, Wo = windows.shape[:4]
    a, c = np.divmod(windows.reshape(N, C, Ho, Wo, kernel * kernel).argmax(axis=-1), kernel)
    n, ch, i, j = np.indices((N, C, Ho, Wo))
    dx = np.zeros_like(x)
    np.add.at(dx, (n, ch, i * kernel + a, j * kernel + c), dout[:, :, :Ho, :Wo])
    return dx
