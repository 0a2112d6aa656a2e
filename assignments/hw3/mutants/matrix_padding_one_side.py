# question: conv_as_matrix
# mistake: pads only the top and left of the image
def conv2d_matrix(kernel, input_shape, stride=1, padding=0):
    kernel = np.asarray(kernel, dtype=np.float64)
    kh, kw = kernel.shape
    H, W = input_shape
    Ho = (H + padding - kh) // stride + 1
    Wo = (W + padding - kw) // stride + 1
    A = np.zeros((Ho * Wo, H * W))
    for i in range(Ho):
        for j in range(Wo):
            for a in range(kh):
                for b in range(kw):
                    r, c = i * stride - padding + a, j * stride - padding + b
                    if 0 <= r < H and 0 <= c < W:
                        A[i * Wo + j, r * W + c] += kernel[a, b]
    return A
