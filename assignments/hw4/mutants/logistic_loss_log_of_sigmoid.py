# question: logistic_regression
# mistake: the loss as log(sigmoid(z)) and log(1 - sigmoid(z)): -inf and NaN for large |phi|
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of logistic_regression do not use the network
def logistic_loss(phi, x, y):
    phi = np.asarray(phi, dtype=np.float64)
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    p = 1.0 / (1.0 + np.exp(-(phi[0] + phi[1] * x)))
    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))


FASHION_EPOCHS = 0
