# question: activations
# mistake: puts the kinks the wrong way round, a relu(x - beta) + b relu(alpha - x)
def hinge_activation(x, a, b, alpha, beta):
    x = np.asarray(x, dtype=np.float64)
    return a * np.maximum(x - beta, 0.0) + b * np.maximum(alpha - x, 0.0)
