# question: activations
# mistake: subtracts the left ramp, so the slope for x <= beta is +b instead of -b
def hinge_activation(x, a, b, alpha, beta):
    x = np.asarray(x, dtype=np.float64)
    return a * np.maximum(x - alpha, 0.0) - b * np.maximum(beta - x, 0.0)
