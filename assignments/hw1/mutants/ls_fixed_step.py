# question: line_search
# mistake: a fixed step of 1 instead of an exact line search
def line_search_gd(b, steps):
    p = np.array([b, 1.0]); path = [p.copy()]
    for _ in range(steps):
        p = p - 1.0 * np.array([p[0], b * p[1]])
        path.append(p.copy())
    return np.array(path)
