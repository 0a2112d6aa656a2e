# question: softmax
# mistake: computes in float32, losing precision far beyond the float64 tolerance
def softmax(x):
    x = np.asarray(x, dtype=np.float32)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
