# questions: logistic_regression, mixture, squashed_bce
# idea: the NumPy questions solved another way (one file, so that validate trains the network once for all three)
#   logistic_regression: one draw of 20 normals with per-point means (the same stream), the loss via np.logaddexp, sigmoid via tanh, the grid by loops
#   mixture: a naive sigmoid (overflow warnings only) and einsum over the components
#   squashed_bce: pick the log of the probability of the observed label with np.where; 1 - p computed directly
# -- logistic_regression
def make_logistic_data(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(np.repeat([-1.0, 1.0], 10), 1.0)
    y = np.array([0] * 10 + [1] * 10)
    return x, y


def logistic_loss(phi, x, y):
    z = phi[0] + phi[1] * np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    # -log sigmoid(z) = log(1 + e^-z), -log(1 - sigmoid(z)) = log(1 + e^z)
    return np.sum(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z))


def logistic_grad(phi, x, y):
    x = np.asarray(x, dtype=float)
    p = 0.5 * (1.0 + np.tanh(0.5 * (phi[0] + phi[1] * x)))  # sigmoid, never overflows
    r = p - np.asarray(y, dtype=float)
    return np.array([np.sum(r), np.dot(r, x)])


def loss_grid(x, y, phi0_values, phi1_values):
    grid = np.zeros((len(phi0_values), len(phi1_values)))
    for i, a in enumerate(phi0_values):
        for j, b in enumerate(phi1_values):
            grid[i, j] = logistic_loss([a, b], x, y)
    return grid


# -- mixture
def mixture_prob(X, W, pi):
    with np.errstate(over="ignore"):
        s = 1.0 / (1.0 + np.exp(-np.einsum("nd,kd->nk", X, W)))
    return np.einsum("nk,k->n", s, pi)


# -- squashed_bce
def squashed_bce(z, y):
    z, y = np.asarray(z, dtype=float), np.asarray(y, dtype=float)
    with np.errstate(over="ignore"):
        p = 0.8 / (1.0 + np.exp(-z)) + 0.1
    return -np.log(np.where(y == 1, p, 1.0 - p))
