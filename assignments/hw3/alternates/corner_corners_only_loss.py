# questions: corner_task
# idea: data from the bits of 0..15 with XNOR = 1 - |a - d|, the network from a list of layers,
# and a loss on the four corner pixels only (the other pixels are left free)
def make_corner_dataset():
    X = np.zeros((16, 1, 5, 5))
    positions = [(0, 0), (0, 4), (4, 0), (4, 4)]
    for pattern in range(16):
        for bit, (r, c) in enumerate(positions):
            X[pattern, 0, r, c] = (pattern >> bit) & 1
    Y = np.zeros_like(X)
    for (r, c), (r2, c2) in [((0, 0), (4, 4)), ((0, 4), (4, 0))]:
        same = 1.0 - np.abs(X[:, 0, r, c] - X[:, 0, r2, c2])
        Y[:, 0, r, c] = Y[:, 0, r2, c2] = same
    return X[::-1].copy(), Y[::-1].copy()  # another order: the tests compare the pairs as a set


def build_corner_cnn():
    layers = []
    channels = [1, 16, 16, 16, 1]
    for i in range(4):
        layers.append(torch.nn.Conv2d(channels[i], channels[i + 1], kernel_size=3, stride=1, padding=1))
        if i < 3:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def train_corner_model(model, X, Y, seed=0, steps=200, lr=1e-2):
    torch.manual_seed(seed)
    for layer in model:
        if isinstance(layer, torch.nn.Conv2d):
            torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            torch.nn.init.zeros_(layer.bias)
    X = torch.tensor(np.asarray(X), dtype=torch.float32)
    Y = torch.tensor(np.asarray(Y), dtype=torch.float32)
    rows, cols = [0, 0, 4, 4], [0, 4, 0, 4]
    target = Y[:, 0, rows, cols]
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        logits = model(X)[:, 0, rows, cols]
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
