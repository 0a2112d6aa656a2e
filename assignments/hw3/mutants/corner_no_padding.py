# question: corner_task
# mistake: the convolutions have no padding (the image shrinks to nothing after two layers)
def build_corner_cnn():
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU(), nn.Conv2d(16, 16, 3), nn.ReLU(),
                         nn.Conv2d(16, 16, 3), nn.ReLU(), nn.Conv2d(16, 1, 3))
