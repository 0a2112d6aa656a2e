# question: losses
# mistake: forgets the minus sign of the log-likelihood (J and gradient)
def bce_loss(y, y_hat):
    y = np.asarray(y, dtype=np.float64)
    y_hat = np.asarray(y_hat, dtype=np.float64)
    J = np.mean(y * np.log(y_hat) + (1.0 - y) * np.log(1.0 - y_hat))
    return float(J), (y / y_hat - (1.0 - y) / (1.0 - y_hat)) / y_hat.size
