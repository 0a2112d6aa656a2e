# question: model_size
# mistake: one bias per layer instead of one per unit
def mlp_param_count(layer_sizes, bias=True):
    sizes = [int(s) for s in layer_sizes]
    return sum(a * b + (1 if bias else 0) for a, b in zip(sizes[:-1], sizes[1:]))
