# question: output_size
# mistake: counts the padding on one side only
def conv_output_size(n, kernel, stride=1, padding=0, dilation=1):
    return (n + padding - dilation * (kernel - 1) - 1) // stride + 1
