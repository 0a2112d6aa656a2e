# question: hvp
# mistake: returns the gradient itself, never differentiating it along v
def hvp_exact(loss_fn, w, v):
    w = w.detach().clone().requires_grad_(True)
    (g,) = torch.autograd.grad(loss_fn(w), w)
    return g.detach()
