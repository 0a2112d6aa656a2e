# question: softmax_jacobian
# mistake: drops the diagonal term diag(s)
def softmax_jacobian(x):
    s = softmax(np.asarray(x, dtype=np.float64))
    return -np.outer(s, s)
