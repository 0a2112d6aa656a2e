# question: model_size
# mistake: counts only the distinct entries of the symmetric Hessian, P (P + 1) / 2
def hessian_entries(layer_sizes, bias=True):
    p = mlp_param_count(layer_sizes, bias)
    return p * (p + 1) // 2
