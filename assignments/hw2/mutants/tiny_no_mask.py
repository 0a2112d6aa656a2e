# question: tiny_net
# mistake: forgets the ReLU mask when going back into the hidden layer
def tiny_net_grad(x, theta):
    W_H = np.asarray(theta["W_H"], dtype=np.float64)
    W_O = np.asarray(theta["W_O"], dtype=np.float64)
    z_bar = W_H * x + np.asarray(theta["b_H"], dtype=np.float64)
    return {"W_H": W_O * x, "b_H": W_O, "W_O": np.maximum(z_bar, 0.0), "b_O": 1.0}
