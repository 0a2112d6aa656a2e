# question: l1_regression
# mistake: averages the absolute residuals instead of summing them
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of l1_regression do not use the network
def l1_loss(X, y, w):
    X, y, w = (np.asarray(a, dtype=np.float64) for a in (X, y, w))
    return float(np.abs(X @ w - y).mean())


FASHION_EPOCHS = 0
