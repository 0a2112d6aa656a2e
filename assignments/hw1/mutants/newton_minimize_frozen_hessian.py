# question: newton
# mistake: evaluates the Hessian once, at w0, and reuses it for every step
def newton_minimize(grad_fn, hess_fn, w0, steps):
    w = np.array(w0, dtype=np.float64)
    hess = np.asarray(hess_fn(w))
    path = [w.copy()]
    for _ in range(steps):
        w = w + newton_step(np.asarray(grad_fn(w)), hess)
        path.append(w.copy())
    return np.array(path)
