# question: logistic_regression
# mistake: sigmoid as exp(z) / (1 + exp(z)): inf / inf = NaN for large positive z
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of logistic_regression do not use the network
def logistic_grad(phi, x, y):
    phi = np.asarray(phi, dtype=np.float64)
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    z = phi[0] + phi[1] * x
    residual = np.exp(z) / (1.0 + np.exp(z)) - y
    return np.array([residual.sum(), (residual * x).sum()])


FASHION_EPOCHS = 0
