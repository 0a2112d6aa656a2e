# question: squared_norm
# mistake: differentiates the norm ||x|| instead of its square, returning x / ||x||
def squared_norm_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return x / np.linalg.norm(x)
