# question: softmax_jacobian
# mistake: uses exp(x) instead of the softmax probabilities in diag(s) - s s^T
def softmax_jacobian(x):
    s = np.exp(np.asarray(x, dtype=np.float64))
    return np.diag(s) - np.outer(s, s)
