# question: linreg_hessian
# mistake: drops the factor 2 from differentiating the square
def linreg_hessian(x):
    x = np.asarray(x, dtype=np.float64)
    return np.array([[x.size, x.sum()], [x.sum(), (x ** 2).sum()]])
