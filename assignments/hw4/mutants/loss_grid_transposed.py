# question: logistic_regression
# mistake: rows indexed by phi1 and columns by phi0 (the heatmap looks plausible, the array is transposed)
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of logistic_regression do not use the network
def loss_grid(x, y, phi0_values, phi1_values):
    return np.array([[logistic_loss([a, b], x, y) for a in phi0_values] for b in phi1_values])


FASHION_EPOCHS = 0
