# questions: model_size
# idea: weights as a dot product of consecutive widths, biases as the sum of all widths but the input's
def mlp_param_count(layer_sizes, bias=True):
    sizes = np.asarray(layer_sizes, dtype=np.int64)
    return int(sizes[:-1] @ sizes[1:] + (sizes[1:].sum() if bias else 0))


def hessian_entries(layer_sizes, bias=True):
    return mlp_param_count(layer_sizes, bias=bias) ** 2
