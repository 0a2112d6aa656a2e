# question: l1_regression
# mistake: uses the residual y - X w, so the subgradient has the wrong sign
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of l1_regression do not use the network
def l1_subgradient(X, y, w):
    X, y, w = (np.asarray(a, dtype=np.float64) for a in (X, y, w))
    return X.T @ np.sign(y - X @ w)


FASHION_EPOCHS = 0
