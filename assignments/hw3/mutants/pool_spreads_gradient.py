# question: pooling
# mistake: spreads each output's gradient evenly over its window (average-pooling backward)
def max_pool2d_backward(dout, x, kernel, stride=None):
    stride = kernel if stride is None else stride
    x, dout = np.asarray(x, dtype=np.float64), np.asarray(dout, dtype=np.float64)
    Ho, Wo = dout.shape[2:]
    dx = np.zeros_like(x)
    for i in range(Ho):
        for j in range(Wo):
            dx[:, :, i * stride:i * stride + kernel, j * stride:j * stride + kernel] += \
                dout[:, :, i:i + 1, j:j + 1] / kernel ** 2
    return dx
