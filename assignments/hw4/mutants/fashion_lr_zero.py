# question: fashion_mlp
# mistake: a typo sets Adam's learning rate to 0 (lr=0e-3): the weights never move
def train_model(model, train_x, train_y, test_x, test_y, epochs, batch_size=128, lr=1e-3, seed=0):
    train_x, train_y = torch.as_tensor(train_x), torch.as_tensor(train_y)
    optimizer = torch.optim.Adam(model.parameters(), lr=0e-3)
    history = {"train_loss": [], "test_loss": []}
    torch.manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(len(train_x))
        losses = []
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            loss = nn.functional.cross_entropy(model(train_x[batch]), train_y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history["train_loss"].append(sum(losses) / len(losses))
        history["test_loss"].append(mean_cross_entropy(model, test_x, test_y))
    return history
