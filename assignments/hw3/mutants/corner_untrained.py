# question: corner_task
# mistake: an untrained corner model (the training function initialises but never steps)
def train_corner_model(model, X, Y, seed=0, steps=200, lr=1e-2):
    torch.manual_seed(seed)
    for layer in model.modules():
        if isinstance(layer, torch.nn.Conv2d):
            torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            torch.nn.init.zeros_(layer.bias)
    X = torch.as_tensor(np.asarray(X), dtype=torch.float32)
    Y = torch.as_tensor(np.asarray(Y), dtype=torch.float32)
    with torch.no_grad():
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(X), Y)
    return [loss.item()] * steps
