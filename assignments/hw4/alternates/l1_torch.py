# questions: l1_regression
# idea: torch: the loss as a 0-d tensor, the subgradient by autograd (abs has derivative 0 at 0), fit_l1 with torch.optim.SGD on g / |g| and a LambdaLR schedule 1 / sqrt(t + 1), the best w returned as a tensor
def l1_loss(X, y, w):
    X, y, w = (torch.as_tensor(np.asarray(a, dtype=np.float64)) for a in (X, y, w))
    return torch.sum(torch.abs(X @ w - y))


def l1_subgradient(X, y, w):
    Xt, yt = torch.as_tensor(np.asarray(X, dtype=np.float64)), torch.as_tensor(np.asarray(y, dtype=np.float64))
    wt = torch.as_tensor(np.asarray(w, dtype=np.float64)).clone().requires_grad_(True)
    (g,) = torch.autograd.grad(torch.sum(torch.abs(Xt @ wt - yt)), wt)
    return g


def fit_l1(X, y, steps=2000, seed=0):
    Xt, yt = torch.as_tensor(np.asarray(X, dtype=np.float64)), torch.as_tensor(np.asarray(y, dtype=np.float64))
    generator = torch.Generator().manual_seed(seed)
    w = (0.01 * torch.randn(Xt.shape[1], generator=generator, dtype=torch.float64)).requires_grad_(True)
    optimizer = torch.optim.SGD([w], lr=0.03 * (1.0 + float(yt.abs().max())))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: 1.0 / (t + 1.0) ** 0.5)
    best, best_loss = w.detach().clone(), float("inf")
    for _ in range(steps):
        optimizer.zero_grad()
        loss = torch.sum(torch.abs(Xt @ w - yt))
        if loss.item() < best_loss:
            best, best_loss = w.detach().clone(), loss.item()
        loss.backward()
        norm = w.grad.norm()
        if norm == 0:
            break
        w.grad /= norm
        optimizer.step()
        schedule.step()
    final = torch.sum(torch.abs(Xt @ w.detach() - yt)).item()
    return w.detach().clone() if final < best_loss else best
