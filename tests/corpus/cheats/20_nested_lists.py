# threat: make the grader build millions of objects: answers of nested empty lists, a few bytes each, under the byte limit
import os
import deepgrade.grade.kernel.worker as worker

def _tree(depth):
    text = "[]"
    for _ in range(depth):
        text = "[" + ",".join([text] * 3) + "]"  # 3**depth empty lists, about 3 bytes each
    return text

def _rows(rows, row):
    return "[" + ",".join([row] * rows) + "]"

# The replies are written out once, here, as JSON text: sending them then costs the kernel
# nothing, and all the work falls on the grader that decodes them.
_RAW = {name: ('{"value":' + text + "}").encode() for name, text in {
    "softmax": _tree(14),  # 7 million lists in 19 MB
    "log_softmax": _rows(5000, _rows(1000, "[]")),  # 5 million lists in 15 MB
    "softmax_jacobian": _rows(3000, _rows(1000, "0")),  # 3 million numbers in 6 MB
}.items()}

class _Raw:
    def __init__(self, name):
        self.name = name

_encode, _write = worker.Worker.encode, worker.protocol.write_message
worker.Worker.encode = lambda self, obj, *args, **kwargs: (
    {"__raw__": obj.name} if isinstance(obj, _Raw) else _encode(self, obj, *args, **kwargs))

def _write_raw(fd, message):
    value = message.get("value")
    if not (isinstance(value, dict) and "__raw__" in value):
        return _write(fd, message)
    view = memoryview(len(_RAW[value["__raw__"]]).to_bytes(8, "big") + _RAW[value["__raw__"]])
    while view:
        view = view[os.write(fd, view):]

worker.protocol.write_message = _write_raw
softmax = lambda x: _Raw("softmax")
log_softmax = lambda x: _Raw("log_softmax")
softmax_jacobian = lambda x: _Raw("softmax_jacobian")
