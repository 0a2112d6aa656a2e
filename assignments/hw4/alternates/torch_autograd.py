# questions: logistic_regression, mixture, squashed_bce
# idea: torch instead of NumPy: the loss by softplus, its gradient by autograd, the grid by broadcasting, the mixture and the squashed cross-entropy on tensors
def logistic_loss(phi, x, y):
    phi = torch.as_tensor(np.asarray(phi, dtype=np.float64))
    x, y = torch.as_tensor(np.asarray(x, dtype=np.float64)), torch.as_tensor(np.asarray(y, dtype=np.float64))
    z = phi[0] + phi[1] * x
    return float(torch.sum(torch.nn.functional.softplus(z) - y * z))


def logistic_grad(phi, x, y):
    p = torch.tensor(np.asarray(phi, dtype=np.float64), requires_grad=True)
    x, y = torch.as_tensor(np.asarray(x, dtype=np.float64)), torch.as_tensor(np.asarray(y, dtype=np.float64))
    z = p[0] + p[1] * x
    (g,) = torch.autograd.grad(torch.sum(torch.nn.functional.softplus(z) - y * z), p)
    return g


def loss_grid(x, y, phi0_values, phi1_values):
    x, y = torch.as_tensor(np.asarray(x, dtype=np.float64)), torch.as_tensor(np.asarray(y, dtype=np.float64))
    phi0 = torch.as_tensor(np.asarray(phi0_values, dtype=np.float64))[:, None, None]
    phi1 = torch.as_tensor(np.asarray(phi1_values, dtype=np.float64))[None, :, None]
    z = phi0 + phi1 * x
    return torch.sum(torch.nn.functional.softplus(z) - y * z, dim=-1)


def mixture_prob(X, W, pi):
    X, W, pi = (torch.as_tensor(np.asarray(a, dtype=np.float64)) for a in (X, W, pi))
    return torch.sigmoid(X @ W.T) @ pi


def squashed_bce(z, y):
    z, y = torch.as_tensor(np.asarray(z, dtype=np.float64)), torch.as_tensor(np.asarray(y, dtype=np.float64))
    p = 0.8 * torch.sigmoid(z) + 0.1
    q = 0.8 * torch.sigmoid(-z) + 0.1
    return -(y * torch.log(p) + (1 - y) * torch.log(q))
