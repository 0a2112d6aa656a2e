# question: losses
# mistake: the derivative of the square loses its factor 2
def mse_loss(y, y_hat):
    diff = np.asarray(y_hat, dtype=np.float64) - np.asarray(y, dtype=np.float64)
    return float(np.mean(diff ** 2)), diff / diff.size
