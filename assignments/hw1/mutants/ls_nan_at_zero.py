# question: line_search
# mistake: no guard for a zero gradient: 0/0 gives NaN once the minimum is reached (b = 1)
def line_search_gd(b, steps):
    p = np.array([b, 1.0]); path = [p.copy()]
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(steps):
            g = np.array([p[0], b * p[1]])
            p = p - (g @ g) / (g[0] ** 2 + b * g[1] ** 2) * g
            path.append(p.copy())
    return np.array(path)
