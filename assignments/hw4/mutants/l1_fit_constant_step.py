# question: l1_regression
# mistake: a constant step on the raw subgradient, returning the last iterate: it keeps circling the minimum
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of l1_regression do not use the network
def fit_l1(X, y, steps=2000, seed=0):
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    w = np.random.default_rng(seed).normal(scale=0.01, size=X.shape[1])
    for t in range(steps):
        w = w - 0.01 * l1_subgradient(X, y, w)
    return w


FASHION_EPOCHS = 0
