# questions: softmax, log_softmax
# idea: loop over the rows of a 2-D view, one vector at a time
def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    rows = x.reshape(-1, x.shape[-1])
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        e = np.exp(row - np.max(row))
        out[i] = e / np.sum(e)
    return out.reshape(x.shape)


def log_softmax(x):
    x = np.asarray(x, dtype=np.float64)
    rows = x.reshape(-1, x.shape[-1])
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        m = np.max(row)
        out[i] = row - m - np.log(np.sum(np.exp(row - m)))
    return out.reshape(x.shape)
