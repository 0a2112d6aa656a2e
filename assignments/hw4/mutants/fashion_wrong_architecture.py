# question: fashion_mlp
# mistake: two hidden layers (256, 64) instead of three (256, 128, 64)
def build_mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 64), nn.ReLU(),
                         nn.Linear(64, 10))
