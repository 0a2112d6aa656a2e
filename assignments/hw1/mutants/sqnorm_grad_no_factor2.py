# question: squared_norm
# mistake: drops the factor 2 of d(x_k^2)/dx_k, returning x itself
def squared_norm_grad(x):
    return np.asarray(x, dtype=np.float64)
