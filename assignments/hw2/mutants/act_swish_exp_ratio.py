# question: activations
# mistake: swish as x e^(beta x) / (1 + e^(beta x)): inf / inf = nan for large beta x
def swish(x, beta):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(beta * x)
    return x * e / (1.0 + e)
