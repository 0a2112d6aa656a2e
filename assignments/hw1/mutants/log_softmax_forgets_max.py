# question: log_softmax
# mistake: subtracts the max inside the log-sum-exp but never adds it back
def log_softmax(x):
    x = np.asarray(x, dtype=np.float64)
    m = x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))
