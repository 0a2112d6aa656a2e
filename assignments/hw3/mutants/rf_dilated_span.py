# question: receptive_field
# mistake: takes d * k for the span of a dilated kernel instead of d * (k - 1) + 1
def receptive_fields(layers):
    size, jump, sizes = 1, 1, []
    for layer in layers:
        span = layer["kernel"] * layer.get("dilation", 1)
        size += (span - 1) * jump
        jump *= layer.get("stride", 1)
        sizes.append(size)
    return sizes
