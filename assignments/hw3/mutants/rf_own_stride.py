# question: receptive_field
# mistake: multiplies by the layer's own stride before adding its kernel (jump updated too early)
def receptive_fields(layers):
    size, jump, sizes = 1, 1, []
    for layer in layers:
        jump *= layer.get("stride", 1)
        size += (layer["kernel"] - 1) * layer.get("dilation", 1) * jump
        sizes.append(size)
    return sizes
