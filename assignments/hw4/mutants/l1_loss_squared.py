# question: l1_regression
# mistake: sums the squared residuals (the least-squares loss) instead of their absolute values
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of l1_regression do not use the network
def l1_loss(X, y, w):
    X, y, w = (np.asarray(a, dtype=np.float64) for a in (X, y, w))
    return float(((X @ w - y) ** 2).sum())


FASHION_EPOCHS = 0
