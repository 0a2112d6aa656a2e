# question: output_size
# mistake: ignores the dilation (treats every kernel as dense)
def conv_output_size(n, kernel, stride=1, padding=0, dilation=1):
    return (n + 2 * padding - kernel) // stride + 1
