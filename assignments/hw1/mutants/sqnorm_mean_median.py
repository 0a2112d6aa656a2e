# question: squared_norm
# mistake: the coordinate-wise median, which minimises the summed absolute distances, not the squared ones
def mean_minimizer(X):
    return np.median(np.asarray(X, dtype=np.float64), axis=0)
