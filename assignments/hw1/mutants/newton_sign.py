# question: newton
# mistake: solves hess @ d = grad, so the step goes uphill
def newton_step(grad, hess):
    return np.linalg.solve(np.asarray(hess, dtype=np.float64), np.asarray(grad, dtype=np.float64))
