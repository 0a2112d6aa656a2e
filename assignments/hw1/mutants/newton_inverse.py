# question: newton
# mistake: multiplies by the explicit inverse of the Hessian, inaccurate when it is badly conditioned
def newton_step(grad, hess):
    return np.linalg.inv(np.asarray(hess, dtype=np.float64)) @ -np.asarray(grad, dtype=np.float64)
