# question: model_size
# mistake: hessian_entries ignores its bias argument (always counts the biases)
def hessian_entries(layer_sizes, bias=True):
    p = mlp_param_count(layer_sizes)
    return p * p
