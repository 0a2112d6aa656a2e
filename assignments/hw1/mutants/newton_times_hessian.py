# question: newton
# mistake: multiplies the gradient by the Hessian instead of solving with it
def newton_step(grad, hess):
    return -np.asarray(hess, dtype=np.float64) @ np.asarray(grad, dtype=np.float64)
