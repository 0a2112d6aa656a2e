# questions: activations
# idea: sigmoid chosen per sign (never exponentiates a positive number), swish by logaddexp, the hinge by maximum and minimum
def _stable_sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def swish(x, beta):
    x = np.asarray(x, dtype=np.float64)
    return x * np.exp(-np.logaddexp(0.0, -beta * x))


def tanh_from_sigmoid(x):
    return 2.0 * _stable_sigmoid(2.0 * np.asarray(x, dtype=np.float64)) - 1.0


def hinge_activation(x, a, b, alpha, beta):
    x = np.asarray(x, dtype=np.float64)
    return a * np.maximum(x - alpha, 0.0) - b * np.minimum(x - beta, 0.0)
