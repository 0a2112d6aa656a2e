# question: losses
# mistake: returns (y_hat - y) / N, the gradient with respect to the logit, not to y_hat
def bce_loss(y, y_hat):
    y = np.asarray(y, dtype=np.float64)
    y_hat = np.asarray(y_hat, dtype=np.float64)
    J = -np.mean(y * np.log(y_hat) + (1.0 - y) * np.log(1.0 - y_hat))
    return float(J), (y_hat - y) / y_hat.size
