# question: l1_regression
# mistake: takes sign(0) = +1 (np.where(r >= 0, 1, -1)) instead of 0
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of l1_regression do not use the network
def l1_subgradient(X, y, w):
    X, y, w = (np.asarray(a, dtype=np.float64) for a in (X, y, w))
    return X.T @ np.where(X @ w - y >= 0, 1.0, -1.0)


FASHION_EPOCHS = 0
