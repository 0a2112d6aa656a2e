# question: mlp
# mistake: the sigmoid's derivative uses the pre-activation, z (1 - z), instead of sigma(z) (1 - sigma(z))
_activation_grad_ok = activation_grad
def activation_grad(name, z, a):
    if name == "sigmoid":
        return z * (1.0 - z)
    return _activation_grad_ok(name, z, a)
