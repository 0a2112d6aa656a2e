# question: losses
# mistake: sums the squared errors instead of averaging them (J and gradient)
def mse_loss(y, y_hat):
    diff = np.asarray(y_hat, dtype=np.float64) - np.asarray(y, dtype=np.float64)
    return float(np.sum(diff ** 2)), 2.0 * diff
