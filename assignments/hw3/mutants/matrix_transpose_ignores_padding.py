# question: conv_as_matrix
# mistake: the transposed convolution does not crop the padding from its output
def conv_transpose2d_matrix(kernel, input_shape, stride=1, padding=0):
    kh, kw = np.shape(kernel)
    H, W = input_shape
    Ho = (H - 1) * stride + kh
    Wo = (W - 1) * stride + kw
    return conv2d_matrix(kernel, (Ho, Wo), stride, 0).T
