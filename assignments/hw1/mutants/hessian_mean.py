# question: linreg_hessian
# mistake: uses means instead of sums (the Hessian of the mean loss, not of the summed loss)
def linreg_hessian(x):
    x = np.asarray(x, dtype=np.float64)
    return 2.0 * np.array([[1.0, x.mean()], [x.mean(), (x ** 2).mean()]])
