# questions: hvp
# idea: forward-over-reverse with torch.func (jvp of the gradient); FD written with np.subtract
import torch.func


def hvp_exact(loss_fn, w, v):
    return torch.func.jvp(torch.func.grad(loss_fn), (w,), (v,))[1]


def hvp_finite_difference(grad_fn, w, v, r=1e-6):
    w = np.asarray(w, dtype=np.float64)
    return np.subtract(grad_fn(w + r * np.asarray(v)), grad_fn(w)) / r
