# question: linreg_hessian
# mistake: (sum x)^2 in place of sum x^2
def linreg_hessian(x):
    x = np.asarray(x, dtype=np.float64)
    return 2.0 * np.array([[x.size, x.sum()], [x.sum(), x.sum() ** 2]])
