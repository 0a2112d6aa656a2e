# questions: output_size, receptive_field
# idea: sizes from the effective kernel with math.floor; receptive fields computed top-down, by
# walking from one unit of layer L back to the input for every L
def conv_output_size(n, kernel, stride=1, padding=0, dilation=1):
    effective = dilation * (kernel - 1) + 1
    return int(math.floor((n + 2 * padding - effective) / stride)) + 1


def network_output_size(n, layers):
    defaults = {"conv": {"stride": 1}, "pool": {}}
    size = n
    for layer in layers:
        settings = {"stride": layer["kernel"], "padding": 0, "dilation": 1}
        settings.update(defaults[layer["type"]])
        settings.update({k: v for k, v in layer.items() if k in ("stride", "padding", "dilation")})
        size = conv_output_size(size, layer["kernel"], **settings)
    return size


def receptive_fields(layers):
    sizes = []
    for top in range(1, len(layers) + 1):
        width = 1  # one unit of layer `top`
        for layer in reversed(layers[:top]):
            # `width` adjacent units of a layer read this many units of the layer below
            width = (width - 1) * layer.get("stride", 1) + layer.get("dilation", 1) * (layer["kernel"] - 1) + 1
        sizes.append(width)
    return sizes
