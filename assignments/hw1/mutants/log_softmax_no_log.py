# question: log_softmax
# mistake: forgets the log of the normaliser (returns x - m - sum exp)
def log_softmax(x):
    x = np.asarray(x, dtype=np.float64)
    m = x.max(axis=-1, keepdims=True)
    return (x - m) - np.exp(x - m).sum(axis=-1, keepdims=True)
