# question: model_size
# mistake: counts the biases of the hidden layers but not of the output layer
def mlp_param_count(layer_sizes, bias=True):
    sizes = [int(s) for s in layer_sizes]
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    return weights + (sum(sizes[1:-1]) if bias else 0)
