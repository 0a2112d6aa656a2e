# questions: softmax, log_softmax
# idea: log-sum-exp first (np.logaddexp.reduce), then exponentiate the log-probabilities
def log_softmax(x):
    x = np.asarray(x, dtype=np.float64)
    return x - np.logaddexp.reduce(x, axis=-1, keepdims=True)


def softmax(x):
    return np.exp(log_softmax(x))
