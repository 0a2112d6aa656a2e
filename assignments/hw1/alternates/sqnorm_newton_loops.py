# questions: squared_norm, newton
# idea: plain Python loops: the gradient entry by entry, the mean as running sums, Newton's step by Gaussian elimination with partial pivoting and back substitution
def squared_norm_grad(x):
    return [2.0 * float(v) for v in x]


def mean_minimizer(X):
    rows = [list(map(float, row)) for row in X]
    totals = [0.0] * len(rows[0])
    for row in rows:
        for k, v in enumerate(row):
            totals[k] += v
    return [t / len(rows) for t in totals]


def newton_step(grad, hess):
    n = len(grad)
    A = [[float(hess[i][j]) for j in range(n)] for i in range(n)]
    b = [-float(g) for g in grad]
    for k in range(n):
        p = max(range(k, n), key=lambda i: abs(A[i][k]))
        A[k], A[p] = A[p], A[k]
        b[k], b[p] = b[p], b[k]
        for i in range(k + 1, n):
            f = A[i][k] / A[k][k]
            for j in range(k, n):
                A[i][j] -= f * A[k][j]
            b[i] -= f * b[k]
    d = [0.0] * n
    for i in reversed(range(n)):
        d[i] = (b[i] - sum(A[i][j] * d[j] for j in range(i + 1, n))) / A[i][i]
    return d


def newton_minimize(grad_fn, hess_fn, w0, steps):
    w = [float(v) for v in w0]
    path = [list(w)]
    for _ in range(steps):
        d = newton_step(grad_fn(np.array(w)), hess_fn(np.array(w)))
        w = [a + b for a, b in zip(w, d)]
        path.append(list(w))
    return path
