# question: hvp
# mistake: "exact" product computed by finite differences of autograd gradients (only approximate)
def hvp_exact(loss_fn, w, v):
    def grad(p):
        p = p.detach().clone().requires_grad_(True)
        return torch.autograd.grad(loss_fn(p), p)[0]
    r = 1e-6
    return ((grad(w + r * v) - grad(w)) / r).detach()
