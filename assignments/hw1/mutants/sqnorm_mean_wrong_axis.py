# question: squared_norm
# mistake: averages each point's coordinates (axis=1) instead of averaging the points (axis=0)
def mean_minimizer(X):
    return np.asarray(X, dtype=np.float64).mean(axis=1)
