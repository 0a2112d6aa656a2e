# questions: softmax_jacobian
# idea: fill J entry by entry with s_i (delta_ij - s_j), returning a list of lists
def softmax_jacobian(x):
    s = softmax(np.asarray(x, dtype=np.float64))
    k = len(s)
    return [[s[i] * ((1.0 if i == j else 0.0) - s[j]) for j in range(k)] for i in range(k)]
