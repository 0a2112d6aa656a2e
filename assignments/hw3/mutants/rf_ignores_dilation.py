# question: receptive_field
# mistake: ignores the dilation of the kernels
def receptive_fields(layers):
    size, jump, sizes = 1, 1, []
    for layer in layers:
        size += (layer["kernel"] - 1) * jump
        jump *= layer.get("stride", 1)
        sizes.append(size)
    return sizes
