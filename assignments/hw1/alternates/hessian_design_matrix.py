# questions: linreg_hessian
# idea: H = 2 X^T X with the design matrix X = [1, x]
def linreg_hessian(x):
    X = np.stack([np.ones(len(x)), np.asarray(x, dtype=np.float64)], axis=1)
    return 2.0 * X.T @ X
