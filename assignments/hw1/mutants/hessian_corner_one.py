# question: linreg_hessian
# mistake: the phi0-phi0 entry is 2 instead of 2 I (forgets the sum over points)
def linreg_hessian(x):
    x = np.asarray(x, dtype=np.float64)
    return 2.0 * np.array([[1.0, x.sum()], [x.sum(), (x ** 2).sum()]])
