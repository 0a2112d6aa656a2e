# question: hvp
# mistake: forms the full Hessian, which cannot work for D = 10**5
def hvp_exact(loss_fn, w, v):
    H = torch.autograd.functional.hessian(loss_fn, w.detach())
    return (H @ v).detach()
