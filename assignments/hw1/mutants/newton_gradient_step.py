# question: newton
# mistake: takes a plain gradient step of size 1 (-grad), ignoring the curvature
def newton_step(grad, hess):
    return -np.asarray(grad, dtype=np.float64)
