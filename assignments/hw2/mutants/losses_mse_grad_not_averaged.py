# question: losses
# mistake: J is a mean but its gradient is not divided by the number of elements
def mse_loss(y, y_hat):
    diff = np.asarray(y_hat, dtype=np.float64) - np.asarray(y, dtype=np.float64)
    return float(np.mean(diff ** 2)), 2.0 * diff
