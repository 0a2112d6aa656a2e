# question: conv_as_matrix
# mistake: builds the transposed convolution as a "full" cross-correlation (padding k - 1) of the
# input: right shape for stride 1, but the kernel is not flipped, so it is not the transpose
def conv_transpose2d_matrix(kernel, input_shape, stride=1, padding=0):
    kh, kw = np.shape(kernel)
    return conv2d_matrix(kernel, input_shape, 1, kh - 1 - padding)
