# question: corner_task
# mistake: marks the corners 1 when the opposite input corners differ (XOR instead of XNOR)
def make_corner_dataset():
    X = np.zeros((16, 1, 5, 5))
    Y = np.zeros((16, 1, 5, 5))
    for i, (tl, tr, bl, br) in enumerate(itertools.product([0, 1], repeat=4)):
        X[i, 0, 0, 0], X[i, 0, 0, 4], X[i, 0, 4, 0], X[i, 0, 4, 4] = tl, tr, bl, br
        Y[i, 0, 0, 0] = Y[i, 0, 4, 4] = float(tl != br)
        Y[i, 0, 0, 4] = Y[i, 0, 4, 0] = float(tr != bl)
    return X, Y
