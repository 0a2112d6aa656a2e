# question: receptive_field
# mistake: ignores the strides of the layers below (adds d(k-1) per layer, never multiplies)
def receptive_fields(layers):
    size, sizes = 1, []
    for layer in layers:
        size += (layer["kernel"] - 1) * layer.get("dilation", 1)
        sizes.append(size)
    return sizes
