# question: activations
# mistake: tanh(x) taken as 2 sigmoid(x) - 1 (that is tanh(x / 2))
def tanh_from_sigmoid(x):
    return 2.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64))) - 1.0
