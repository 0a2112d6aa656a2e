# question: output_size
# mistake: rounds up (keeps a last, partial window) instead of flooring like PyTorch
def conv_output_size(n, kernel, stride=1, padding=0, dilation=1):
    return math.ceil((n + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1
