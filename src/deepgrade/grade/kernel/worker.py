"""The student's side of grading: runs notebook cells and answers the grader's requests.

This process is untrusted once the first student cell has run: everything it sends back is
treated by the grader as the student's answer and nothing more. It is never started on its own:
the zygote forks it and sandboxes it, then calls ``Worker.serve`` on the two pipe ends it was
handed (see zygote.py).
"""

from __future__ import annotations

import math
import sys
import traceback
from typing import Any

import numpy as np

from deepgrade.grade import protocol
from deepgrade.grade.messages import describe_exception

MAX_ITEMS = 1_000_000  # longest list/dict sent back as data; longer ones stay handles


def make_shell() -> Any:
    """The IPython shell that runs the cells. No history database: a file handle opened here
    would be inherited by every kernel forked afterwards, a channel between submissions."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    return InteractiveShell.instance(config=config, colors="nocolor")


class Worker:
    """Executes cells in an IPython shell and serves get/call/getattr requests on its namespace."""

    def __init__(self, layers: list[str] | None = None) -> None:
        self.shell = make_shell()
        self.handles: dict[int, Any] = {}
        self.layers = layers or []

    # -- encoding what goes back --------------------------------------------------------------
    def encode(self, obj: Any, depth: int = 0, materialise: bool = False) -> Any:
        """``obj`` as a wire value; with ``materialise``, an object that NumPy can turn into a
        numeric array (a lazy array, a custom sequence) is sent as that array, not a handle."""
        if obj is None or type(obj) in (bool, str, int, float):
            return obj
        if isinstance(obj, np.generic) and obj.dtype.name in protocol.ALLOWED_DTYPES:
            if obj.dtype.kind in "biuf":
                return obj.item()
            return protocol.encode_array(np.asarray(obj))
        if isinstance(obj, np.ndarray) and obj.dtype.name in protocol.ALLOWED_DTYPES:
            return protocol.encode_array(obj)
        torch = sys.modules.get("torch")
        if torch is not None and isinstance(obj, torch.Tensor):
            tensor = obj.detach().cpu()
            if tensor.dtype == torch.bfloat16:
                tensor = tensor.float()
            return protocol.encode_array(tensor.numpy())
        if depth < protocol.MAX_DEPTH - 2 and isinstance(obj, (list, tuple, dict)) \
                and len(obj) <= MAX_ITEMS:  # deeper or longer ones stay handles
            return protocol.encode_container(
                obj, lambda v: self.encode(v, depth + 1, materialise))
        if isinstance(obj, (int, float)) and not isinstance(obj, bool):
            # A subclass (maybe with lying comparisons) is sent as the plain number it converts to.
            return int(obj) if isinstance(obj, int) else float(obj)
        if materialise:
            array = as_numeric_array(obj)
            if array is not None:
                return protocol.encode_array(array)
        return self.handle(obj)

    def handle(self, obj: Any) -> dict[str, Any]:
        key = id(obj)
        self.handles[key] = obj  # keeps it alive for later requests
        return {"__handle__": key, "type": type(obj).__name__, "callable": callable(obj)}

    # -- decoding what comes in ---------------------------------------------------------------
    def decode(self, value: Any) -> Any:
        return protocol.decode(value, on_handle=self._lookup, on_function=self._define,
                               on_array=self._array)

    def _lookup(self, obj: dict[str, Any]) -> Any:
        try:
            return self.handles[obj["__handle__"]]
        except KeyError:
            raise protocol.ProtocolError("unknown handle") from None

    def _define(self, obj: dict[str, Any]) -> Any:
        # A function written by the test author (a loss, a gradient oracle), sent as source
        # with the test data it reads.
        namespace: dict[str, Any] = {"np": np, "numpy": np, "math": math}
        if "torch" in obj["__fn__"]:
            import torch

            namespace["torch"] = torch
        env = obj.get("env", {})
        if type(env) is not dict:
            raise protocol.ProtocolError("function environment must be a dict")
        namespace.update({k: self.decode(v) for k, v in env.items()})
        exec(compile(obj["__fn__"], "<test function>", "exec"), namespace)
        return namespace[obj["name"]]

    @staticmethod
    def _array(array: np.ndarray, is_torch: bool) -> Any:
        if is_torch:
            import torch

            return torch.from_numpy(array)
        return array

    # -- operations ---------------------------------------------------------------------------
    def op_run_cell(self, msg: dict[str, Any]) -> dict[str, Any]:
        result = self.shell.run_cell(msg["source"], store_history=True)
        error = result.error_before_exec or result.error_in_exec
        if error is None:
            return {"ok": True}
        return {"ok": False, "error": describe_exception(error), "line": cell_line(error)}

    def op_get(self, msg: dict[str, Any]) -> dict[str, Any]:
        name = msg["name"]
        if name not in self.shell.user_ns:
            return {"missing": True}
        return {"value": self.encode(self.shell.user_ns[name])}

    def op_call(self, msg: dict[str, Any]) -> dict[str, Any]:
        target = self._lookup({"__handle__": msg["target"]})
        args = self.decode(msg.get("args", []))
        kwargs = self.decode(msg.get("kwargs", {}))
        # A result that is an array in disguise is converted here, inside the call: a test that
        # times the call then times the finished work, not a lazy object whose work would run
        # later, when the grader reads it through its handle.
        return {"value": self.encode(target(*args, **kwargs), materialise=True)}

    def op_getattr(self, msg: dict[str, Any]) -> dict[str, Any]:
        target = self._lookup({"__handle__": msg["target"]})
        return {"value": self.encode(getattr(target, msg["name"]))}

    def op_setattr(self, msg: dict[str, Any]) -> dict[str, Any]:
        """A test giving a model its own parameters. A dict of arrays assigned over a dict of
        arrays of the same keys and shapes is written into those arrays, so that a student's
        aliases of them (``self.W1 = self.parameters["W1"]``) see the new values too."""
        target = self._lookup({"__handle__": msg["target"]})
        name, value = str(msg["name"]), self.decode(msg["value"])
        current = getattr(target, name, None)
        if isinstance(current, dict) and isinstance(value, dict) and set(current) == set(value) \
                and all(isinstance(current[k], np.ndarray) and current[k].flags.writeable
                        and np.shape(value[k]) == current[k].shape for k in value):
            for key, array in value.items():
                np.copyto(current[key], array, casting="unsafe")
        else:
            setattr(target, name, value)
        return {"value": None}

    def op_getitem(self, msg: dict[str, Any]) -> dict[str, Any]:
        target = self._lookup({"__handle__": msg["target"]})
        return {"value": self.encode(target[self.decode(msg["key"])])}

    def op_len(self, msg: dict[str, Any]) -> dict[str, Any]:
        return {"value": int(len(self._lookup({"__handle__": msg["target"]})))}

    def op_list(self, msg: dict[str, Any]) -> dict[str, Any]:
        target = self._lookup({"__handle__": msg["target"]})
        items = []
        for item in target:
            items.append(self.encode(item))
            if len(items) > MAX_ITEMS:
                raise ValueError("iterable too long")
        return {"value": items}

    @staticmethod
    def op_usage(msg: dict[str, Any]) -> dict[str, Any]:
        """CPU seconds and peak memory of this kernel and the children it waited for."""
        import resource

        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {"value": {"cpu_seconds": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                          "maxrss_mb": max(me.ru_maxrss, kids.ru_maxrss) / 1024}}

    def serve(self, fd_in: int, fd_out: int) -> None:
        ops = {"usage": self.op_usage, "run_cell": self.op_run_cell, "get": self.op_get,
               "call": self.op_call, "getattr": self.op_getattr, "setattr": self.op_setattr,
               "getitem": self.op_getitem, "len": self.op_len, "list": self.op_list}
        protocol.write_message(fd_out, {"ready": True, "layers": self.layers})
        while True:
            try:
                msg = protocol.read_message(fd_in)
            except protocol.PeerClosed:
                return
            try:
                reply = ops[msg["op"]](msg)
            except BaseException as exc:  # the student's error, reported as data
                reply = {"error": describe_exception(exc)}
            try:
                protocol.write_message(fd_out, reply)
            except (TypeError, ValueError) as exc:  # e.g. an unencodable float subclass
                protocol.write_message(fd_out, {"error": describe_exception(exc)})


def as_numeric_array(obj: Any) -> np.ndarray | None:
    """``np.asarray(obj)`` when ``obj`` offers NumPy an array (the array protocols, or len and
    indexing) and the result is numeric; else None (the object stays a handle)."""
    kind = type(obj)
    if not (hasattr(kind, "__array__") or hasattr(kind, "__array_interface__")
            or (hasattr(kind, "__len__") and hasattr(kind, "__getitem__"))):
        return None
    try:
        array = np.asarray(obj)
    except Exception:  # e.g. ragged, or the object's own code raised: the grader will see why
        return None
    return array if array.dtype.name in protocol.ALLOWED_DTYPES else None


def cell_line(exc: BaseException) -> int | None:
    """Line number inside the failing cell, when the traceback reaches it."""
    if isinstance(exc, SyntaxError):
        return exc.lineno
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename
        if "ipython-input" in name or name.startswith("<ipython"):
            line = lineno
    return line

