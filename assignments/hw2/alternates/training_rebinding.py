# questions: training
# idea: updates only Linear layers, by rebinding new arrays, and records Python floats
def train_classifier(x, y, hidden=64, epochs=200, lr=0.5, seed=0):
    model = Sequential([Linear(2, hidden, seed), ReLU(), Linear(hidden, 3, seed + 1)])
    criterion = SoftmaxCrossEntropy()
    losses = []
    epoch = 0
    while epoch < epochs:
        loss = criterion.forward(model.forward(np.asarray(x, dtype=float)), np.asarray(y, dtype=int))
        model.backward(criterion.backward())
        for layer in model.layers:
            if isinstance(layer, Linear):
                layer.params = {k: v - lr * layer.grads[k] for k, v in layer.params.items()}
        losses.append(float(loss))
        epoch += 1
    return model, losses
