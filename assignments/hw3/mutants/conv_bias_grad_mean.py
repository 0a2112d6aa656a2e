# question: conv_layer
# mistake: averages the bias gradient over the batch instead of summing it
_reference_conv2d_backward = conv2d_backward


def conv2d_backward(dout, x, w, b, stride=1, padding=0):
    dx, dw, db = _reference_conv2d_backward(dout, x, w, b, stride, padding)
    return dx, dw, np.asarray(dout, dtype=np.float64).sum(axis=(2, 3)).mean(axis=0)
