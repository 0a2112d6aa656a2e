# question: softmax_jacobian
# mistake: keeps only the diagonal s_i (1 - s_i) and forgets the cross terms
def softmax_jacobian(x):
    s = softmax(np.asarray(x, dtype=np.float64))
    return np.diag(s * (1 - s))
