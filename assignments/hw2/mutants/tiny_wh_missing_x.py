# question: tiny_net
# mistake: the gradient of W_H forgets the factor x (dz_bar/dW_H = x)
def tiny_net_grad(x, theta):
    W_H = np.asarray(theta["W_H"], dtype=np.float64)
    W_O = np.asarray(theta["W_O"], dtype=np.float64)
    z_bar = W_H * x + np.asarray(theta["b_H"], dtype=np.float64)
    dy_dz_bar = W_O * (z_bar > 0)
    return {"W_H": dy_dz_bar, "b_H": dy_dz_bar, "W_O": np.maximum(z_bar, 0.0), "b_O": 1.0}
