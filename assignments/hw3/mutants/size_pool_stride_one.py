# question: output_size
# mistake: gives pooling layers the convolution's default stride 1 instead of stride = kernel
def network_output_size(n, layers):
    for layer in layers:
        n = conv_output_size(n, layer["kernel"], layer.get("stride", 1),
                             layer.get("padding", 0), layer.get("dilation", 1))
    return n
