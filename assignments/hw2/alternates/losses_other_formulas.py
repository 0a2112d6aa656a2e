# questions: losses
# idea: sums divided by the size, log1p, and the BCE gradient written as (y_hat - y) / (y_hat (1 - y_hat))
def mse_loss(y, y_hat):
    diff = (np.asarray(y_hat, dtype=np.float64) - np.asarray(y, dtype=np.float64)).ravel()
    n = diff.size
    return float(diff @ diff / n), (2.0 / n) * diff.reshape(np.shape(y_hat))


def bce_loss(y, y_hat):
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(y_hat, dtype=np.float64)
    J = -np.sum(y * np.log(p) + (1.0 - y) * np.log1p(-p)) / p.size
    return float(J), (p - y) / (p * (1.0 - p) * p.size)
