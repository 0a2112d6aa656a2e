# questions: squared_norm, newton
# idea: other vectorised formulas: x + x, the mean as a least-squares fit of a constant, the step by a Cholesky factorisation and two triangular solves, the iterates in a preallocated array
def squared_norm_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return x + x


def mean_minimizer(X):
    X = np.asarray(X, dtype=np.float64)
    return np.linalg.lstsq(np.ones((len(X), 1)), X, rcond=None)[0][0]


def _triangular_solve(L, b, lower):
    n = len(b)
    x = np.zeros(n)
    order = range(n) if lower else reversed(range(n))
    for i in order:
        x[i] = (b[i] - L[i] @ x) / L[i, i]
    return x


def newton_step(grad, hess):
    L = np.linalg.cholesky(np.asarray(hess, dtype=np.float64))  # hess = L L^T
    z = _triangular_solve(L, -np.asarray(grad, dtype=np.float64), lower=True)
    return _triangular_solve(L.T, z, lower=False)


def newton_minimize(grad_fn, hess_fn, w0, steps):
    w0 = np.asarray(w0, dtype=np.float64)
    path = np.empty((steps + 1, w0.size))
    path[0] = w0
    for t in range(steps):
        path[t + 1] = path[t] + newton_step(grad_fn(path[t]), hess_fn(path[t]))
    return path
