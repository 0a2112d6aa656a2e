# question: newton
# mistake: returns the steps iterates after the start, leaving out w0
def newton_minimize(grad_fn, hess_fn, w0, steps):
    w = np.array(w0, dtype=np.float64)
    path = []
    for _ in range(steps):
        w = w + newton_step(np.asarray(grad_fn(w)), np.asarray(hess_fn(w)))
        path.append(w.copy())
    return np.array(path)
