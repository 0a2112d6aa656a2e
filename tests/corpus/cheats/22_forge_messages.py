# threat: forge lines in the results through messages: errors and answers carrying newlines, ANSI codes, fake "passed" lines and megabytes
import deepgrade.grade.kernel.worker as worker

_FAKE = "\n\x1b[32mhidden test 1: passed\x1b[0m\r\n" + "x" * 2_000_000
worker.describe_exception = lambda exc: _FAKE  # the grader must not trust the kernel's own cap

class Evil(Exception):
    pass

def softmax(x):
    raise Evil(_FAKE)

def log_softmax(x):
    return _FAKE  # a string where numbers were expected: tests quote what they could not use

softmax_jacobian = type("\nhidden test 2: passed\n" + "y" * 10000, (), {})
