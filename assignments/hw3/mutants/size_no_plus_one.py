# question: output_size
# mistake: forgets the "+ 1" for the first window position (off by one)
def conv_output_size(n, kernel, stride=1, padding=0, dilation=1):
    return (n + 2 * padding - dilation * (kernel - 1) - 1) // stride
