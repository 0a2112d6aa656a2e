# threat: allocate memory without end
blocks = []
while True:
    blocks.append(bytearray(256 * 1024 * 1024))
