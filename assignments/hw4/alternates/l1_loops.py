# questions: l1_regression
# idea: plain Python loops for the loss and the subgradient (sign written out, 0 at 0); fit_l1 from zeros with steps c / (t + 1)**0.6 along g / |g| and c from the spread of y, a list returned
def l1_loss(X, y, w):
    total = 0.0
    for row, target in zip(X, y):
        total += abs(sum(float(a) * float(b) for a, b in zip(row, w)) - float(target))
    return total


def l1_subgradient(X, y, w):
    g = [0.0] * len(w)
    for row, target in zip(X, y):
        r = sum(float(a) * float(b) for a, b in zip(row, w)) - float(target)
        s = 1.0 if r > 0 else (-1.0 if r < 0 else 0.0)
        for k, a in enumerate(row):
            g[k] += s * float(a)
    return g


def fit_l1(X, y, steps=2000, seed=0):
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    w = np.zeros(X.shape[1])
    best, best_loss = w.copy(), np.abs(X @ w - y).sum()
    c = 0.1 * (1.0 + np.std(y))
    for t in range(steps):
        g = X.T @ np.sign(X @ w - y)  # the loops above are too slow for 2000 steps
        norm = np.sqrt(g @ g)
        if norm == 0.0:
            break
        w = w - c / (t + 1.0) ** 0.6 * g / norm
        loss = np.abs(X @ w - y).sum()
        if loss < best_loss:
            best, best_loss = w.copy(), loss
    return best.tolist()
