# questions: softmax, log_softmax, softmax_jacobian, linreg_hessian, weight_decay, mle
# idea: torch instead of NumPy: torch's softmax and autograd's Jacobian and Hessian, results returned as tensors (the grader receives them as arrays)
def softmax(x):
    return torch.softmax(torch.as_tensor(np.asarray(x, dtype=np.float64)), dim=-1)


def log_softmax(x):
    return torch.log_softmax(torch.as_tensor(np.asarray(x, dtype=np.float64)), dim=-1)


def softmax_jacobian(x):
    t = torch.as_tensor(np.asarray(x, dtype=np.float64))
    return torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0), t)


def linreg_hessian(x):
    xt = torch.as_tensor(np.asarray(x, dtype=np.float64))
    # the Hessian of a least-squares loss does not depend on the targets: take y = 0
    loss = lambda phi: torch.sum((phi[0] + phi[1] * xt) ** 2)
    return torch.autograd.functional.hessian(loss, torch.zeros(2, dtype=torch.float64))


def weight_decay_step(phi, grad, lr, decay):
    phi, grad = torch.as_tensor(np.asarray(phi, dtype=np.float64)), torch.as_tensor(np.asarray(grad, dtype=np.float64))
    return phi.mul(1 - decay).sub(grad, alpha=lr)


def l2_coefficient(lr, decay):
    return torch.tensor(decay, dtype=torch.float64) / (2 * lr)


def mle_gaussian_mean(samples):
    return torch.as_tensor(np.asarray(samples, dtype=np.float64)).mean().item()


def mle_exponential_rate(samples):
    t = torch.as_tensor(np.asarray(samples, dtype=np.float64))
    return (len(t) / t.sum()).item()
