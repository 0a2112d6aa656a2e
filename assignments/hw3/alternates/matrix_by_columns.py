# questions: conv_as_matrix
# idea: column q of A is the convolution of the q-th basis image (a convolution written with
# slices); the transposed matrix is built directly by scattering kernel patches, no transpose
def _correlate(image, kernel, stride, padding):
    kh, kw = kernel.shape
    padded = np.pad(image, padding)
    Ho = (padded.shape[0] - kh) // stride + 1
    Wo = (padded.shape[1] - kw) // stride + 1
    out = np.zeros((Ho, Wo))
    for a in range(kh):
        for b in range(kw):
            out += kernel[a, b] * padded[a:a + stride * (Ho - 1) + 1:stride, b:b + stride * (Wo - 1) + 1:stride]
    return out


def conv2d_matrix(kernel, input_shape, stride=1, padding=0):
    kernel = np.asarray(kernel, dtype=np.float64)
    H, W = input_shape
    columns = []
    for q in range(H * W):
        basis = np.zeros(H * W)
        basis[q] = 1.0
        columns.append(_correlate(basis.reshape(H, W), kernel, stride, padding).ravel())
    return np.stack(columns, axis=1)


def conv_transpose2d_matrix(kernel, input_shape, stride=1, padding=0):
    kernel = np.asarray(kernel, dtype=np.float64)
    kh, kw = kernel.shape
    H, W = input_shape
    Ho, Wo = (H - 1) * stride - 2 * padding + kh, (W - 1) * stride - 2 * padding + kw
    full = np.zeros(((H - 1) * stride + kh, (W - 1) * stride + kw, H * W))
    for r in range(H):
        for c in range(W):
            full[r * stride:r * stride + kh, c * stride:c * stride + kw, r * W + c] += kernel
    return full[padding:padding + Ho, padding:padding + Wo].reshape(Ho * Wo, H * W)
