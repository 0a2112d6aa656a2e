# question: training
# mistake: computes the gradients but never updates the parameters
def train_classifier(x, y, hidden=64, epochs=200, lr=0.5, seed=0):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y).astype(np.int64)
    model = Sequential([Linear(2, hidden, seed), ReLU(), Linear(hidden, 3, seed + 1)])
    loss_fn = SoftmaxCrossEntropy()
    losses = []
    for _ in range(epochs):
        losses.append(loss_fn.forward(model.forward(x), y))
        model.backward(loss_fn.backward())
    return model, losses
