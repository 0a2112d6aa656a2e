# question: mlp
# mistake: forgets the ReLU mask in the backward pass (relu' taken as 1 everywhere)
_activation_grad_ok = activation_grad
def activation_grad(name, z, a):
    if name == "relu":
        return np.ones_like(z)
    return _activation_grad_ok(name, z, a)
