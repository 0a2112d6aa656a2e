# threat: print without end
import sys
while True:
    print("x" * 100000)
    sys.stderr.write("y" * 100000)
