# questions: line_search
# idea: the closed form x_k = b (-q)^k, y_k = q^k with q = (1 - b) / (1 + b)
def line_search_gd(b, steps):
    q = (1.0 - b) / (1.0 + b)
    k = np.arange(steps + 1)
    return np.stack([b * (-q) ** k, q ** k], axis=1)
