# question: hvp
# mistake: always uses r = 1e-6, whatever r is passed
def hvp_finite_difference(grad_fn, w, v, r=1e-6):
    w = np.asarray(w, dtype=np.float64); v = np.asarray(v, dtype=np.float64)
    return (np.asarray(grad_fn(w + 1e-6 * v)) - np.asarray(grad_fn(w))) / 1e-6
