# questions: fashion_mlp
# idea: layers from a list, a DataLoader drawing whole batches (BatchSampler over a RandomSampler
# with a seeded generator), nn.CrossEntropyLoss, a test loss summed per batch, and probabilities
# through exp(log_softmax) returned as a tensor
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, TensorDataset


def build_mlp():
    sizes = [784, 256, 128, 64, 10]
    layers = [nn.Flatten()]
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def train_model(model, train_x, train_y, test_x, test_y, epochs, batch_size=128, lr=1e-3, seed=0):
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    train = TensorDataset(torch.from_numpy(np.asarray(train_x)),
                          torch.from_numpy(np.asarray(train_y)))
    # batch_size=None: the sampler yields lists of indices; the dataset is indexed once per batch
    batches = BatchSampler(RandomSampler(train, generator=generator), batch_size, drop_last=False)
    loader = DataLoader(train, batch_size=None, sampler=batches)
    test = TensorDataset(torch.from_numpy(np.asarray(test_x)), torch.from_numpy(np.asarray(test_y)))
    test_loader = DataLoader(test, batch_size=1000)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"train_loss": [], "test_loss": []}
    for _ in range(epochs):
        model.train()
        losses = []
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        model.eval()
        total, count = 0.0, 0
        with torch.no_grad():
            for xb, yb in test_loader:
                total += float(criterion(model(xb), yb)) * len(yb)
                count += len(yb)
        history["train_loss"].append(float(np.mean(losses)))
        history["test_loss"].append(total / count)
    return history


def predict_proba(model, x):
    model.eval()
    with torch.no_grad():
        return torch.exp(torch.log_softmax(model(torch.as_tensor(np.asarray(x))), dim=1))
