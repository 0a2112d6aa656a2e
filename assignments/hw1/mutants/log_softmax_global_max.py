# question: log_softmax
# mistake: one max for the whole array: rows far below it underflow to log(0)
def log_softmax(x):
    x = np.asarray(x, dtype=np.float64)
    m = x.max()
    return (x - m) - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))
