# question: logistic_regression
# mistake: forgets the chain-rule factor x_i in dL/dphi1
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of logistic_regression do not use the network
def logistic_grad(phi, x, y):
    phi = np.asarray(phi, dtype=np.float64)
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    residual = stable_sigmoid(phi[0] + phi[1] * x) - y
    return np.array([residual.sum(), residual.sum()])


FASHION_EPOCHS = 0
