# questions: tiny_net
# idea: one hidden unit at a time, with Python floats and an explicit if for the ReLU
def tiny_net_forward(x, theta):
    y = float(theta["b_O"])
    for w_h, b_h, w_o in zip(theta["W_H"], theta["b_H"], theta["W_O"]):
        y += float(w_o) * max(0.0, float(w_h) * x + float(b_h))
    return y


def tiny_net_grad(x, theta):
    grads = {"W_H": np.zeros(4), "b_H": np.zeros(4), "W_O": np.zeros(4), "b_O": 1.0}
    for i in range(4):
        z_bar = float(theta["W_H"][i]) * x + float(theta["b_H"][i])
        if z_bar > 0:
            grads["W_O"][i] = z_bar
            grads["b_H"][i] = float(theta["W_O"][i])
            grads["W_H"][i] = float(theta["W_O"][i]) * x
    return grads
