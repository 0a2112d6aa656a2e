# question: l1_regression
# mistake: returns the least-squares fit, which the outliers pull away from the L1 minimum
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of l1_regression do not use the network
def fit_l1(X, y, steps=2000, seed=0):
    return np.linalg.lstsq(np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64), rcond=None)[0]


FASHION_EPOCHS = 0
