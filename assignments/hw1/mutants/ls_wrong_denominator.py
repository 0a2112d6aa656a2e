# question: line_search
# mistake: step g.g / (p.A.p) instead of g.g / (g.A.g)
def line_search_gd(b, steps):
    p = np.array([b, 1.0]); path = [p.copy()]
    for _ in range(steps):
        g = np.array([p[0], b * p[1]])
        if g @ g > 0:
            p = p - (g @ g) / (p[0] ** 2 + b * p[1] ** 2) * g
        path.append(p.copy())
    return np.array(path)
