# question: softmax_jacobian
# mistake: sign flipped: s s^T - diag(s)
def softmax_jacobian(x):
    s = softmax(np.asarray(x, dtype=np.float64))
    return np.outer(s, s) - np.diag(s)
