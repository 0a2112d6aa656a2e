# question: squared_norm
# mistake: sums the points without dividing by n
def mean_minimizer(X):
    return np.asarray(X, dtype=np.float64).sum(axis=0)
