# question: softmax
# mistake: exponentiates without subtracting the max, so entries near 1e4 overflow to inf/nan
def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)
