# question: hvp
# mistake: central differences instead of the one-sided estimate that was asked for
def hvp_finite_difference(grad_fn, w, v, r=1e-6):
    w = np.asarray(w, dtype=np.float64); v = np.asarray(v, dtype=np.float64)
    return (np.asarray(grad_fn(w + r * v)) - np.asarray(grad_fn(w - r * v))) / (2 * r)
