# question: activations
# mistake: swish ignores beta, x * sigmoid(x)
def swish(x, beta):
    x = np.asarray(x, dtype=np.float64)
    return x / (1.0 + np.exp(-x))
