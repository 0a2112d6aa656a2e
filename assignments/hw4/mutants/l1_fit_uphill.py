# question: l1_regression
# mistake: adds the subgradient instead of subtracting it, and returns the last iterate
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of l1_regression do not use the network
def fit_l1(X, y, steps=2000, seed=0):
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    w = np.zeros(X.shape[1])
    c = 0.03 * (1.0 + np.abs(y).max())
    for t in range(steps):
        g = l1_subgradient(X, y, w)
        norm = np.linalg.norm(g)
        if norm == 0.0:
            break
        w = w + c / np.sqrt(t + 1.0) * g / norm
    return w


FASHION_EPOCHS = 0
