# question: softmax
# mistake: divides by the sum over the whole array (right for 1-D inputs only)
def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x - x.max())
    return e / e.sum()
