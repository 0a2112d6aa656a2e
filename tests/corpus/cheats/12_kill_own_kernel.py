# threat: kill its own kernel when a test calls it
import os, signal
def softmax(x):
    os.kill(os.getpid(), signal.SIGKILL)
def log_softmax(x):
    os._exit(0)
