# threat: loop forever when the tests call it, ignoring SIGTERM and SIGINT
import signal
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
def softmax(x):
    while True:
        pass
def log_softmax(x):
    while True:
        pass
