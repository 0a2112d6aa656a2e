# questions: squared_norm, newton
# idea: torch: the gradient by autograd, the mean with torch.mean, the step with torch.linalg.solve, the iterates stacked as a tensor
def squared_norm_grad(x):
    t = torch.as_tensor(np.asarray(x, dtype=np.float64)).requires_grad_(True)
    (g,) = torch.autograd.grad(torch.sum(t * t), t)
    return g


def mean_minimizer(X):
    return torch.as_tensor(np.asarray(X, dtype=np.float64)).mean(dim=0)


def newton_step(grad, hess):
    g = torch.as_tensor(np.asarray(grad, dtype=np.float64))
    H = torch.as_tensor(np.asarray(hess, dtype=np.float64))
    return torch.linalg.solve(H, -g)


def newton_minimize(grad_fn, hess_fn, w0, steps):
    w = torch.as_tensor(np.asarray(w0, dtype=np.float64)).clone()
    path = [w]
    for _ in range(steps):
        w = w + newton_step(grad_fn(w.numpy()), hess_fn(w.numpy()))
        path.append(w)
    return torch.stack(path)
