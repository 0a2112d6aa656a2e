# question: newton
# mistake: divides by the diagonal of the Hessian only, as if it were diagonal
def newton_step(grad, hess):
    return -np.asarray(grad, dtype=np.float64) / np.diag(np.asarray(hess, dtype=np.float64))
