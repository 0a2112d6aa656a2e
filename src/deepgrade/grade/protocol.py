"""The wire format between the grader and the student's kernel: framed JSON, data only.

A message is an 8-byte big-endian length and a UTF-8 JSON document. Values are JSON scalars,
lists and string-keyed dicts, plus tagged objects:

- ``{"__nd__": dtype, "shape": [...], "data": base64}``: a numeric NumPy array (``"torch": true``
  when the receiver should rebuild a torch tensor);
- ``{"__tuple__": [...]}``, ``{"__dict__": [[key, value], ...]}`` (non-string keys);
- ``{"__handle__": id, "type": name, "callable": bool}``: an object that stays in the kernel;
- ``{"__fn__": source, "name": name}``: a function the grader hands to student code as source.

Decoding never unpickles and never evaluates anything: a hostile peer can only send data. It is
bounded in bytes, in objects and in depth (``read_message``), so the peer cannot make the reader
build gigabytes from a few megabytes of brackets; and with a deadline, reading and writing both
end at it whatever the peer does (a stopped process reads nothing and uses no CPU).
"""

from __future__ import annotations

import base64
import json
import math
import os
import select
import struct
import time
from collections.abc import Callable
from typing import Any

import numpy as np

# The largest legitimate reply is a few MB (a state dict, a 10**5-vector); a hostile kernel must
# not make the grader decode gigabytes.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 40
# Objects a message may make the reader build. JSON costs a list 2 bytes and a number 2, while
# Python spends 56 and 32 bytes on them (and decode() copies them once more): under the byte cap
# alone, 7.5 MB of "[[],[],...]" cost the grader a gigabyte and minutes of CPU. Arrays travel as
# one base64 string each, so legitimate replies need few containers: a state dict, a list of
# per-epoch losses, a 1000 x 1000 nested list (1001 lists, 10**6 numbers).
MAX_CONTAINERS = 200_000  # lists and dicts (tuples and tags are dicts)
MAX_VALUES = 2_000_000  # elements of all lists and dicts together
# Numeric dtypes only: an object or structured dtype could smuggle references.
ALLOWED_DTYPES = frozenset(
    ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
     "float16", "float32", "float64", "complex64", "complex128"]
)
_HEADER = struct.Struct(">Q")


class ProtocolError(Exception):
    """The peer sent something that is not a valid message."""


class PeerClosed(ProtocolError):
    """The peer closed its end (for the kernel: it died)."""


class PeerTimeout(ProtocolError):
    """The peer did not take or give a message before the deadline."""


class TooComplex(ProtocolError):
    """A well-framed message that would build too many objects or nest too deeply; it was read
    whole, so the channel is still in step (the peer's answer is refused, not the peer)."""


def _wait(fd: int, deadline: float | None, *, write: bool) -> None:
    if deadline is None:
        return
    left = deadline - time.monotonic()
    if left > 0:
        poller = select.poll()  # not select(): it cannot watch descriptors above 1023
        poller.register(fd, select.POLLOUT if write else select.POLLIN)
        # Any event will do: on a hang-up or error, the read or write that follows says which.
        if poller.poll(math.ceil(left * 1000)):
            return
    raise PeerTimeout("no answer before the deadline")


def write_message(fd: int, message: Any, deadline: float | None = None) -> None:
    """Send one JSON-able message on file descriptor ``fd``.

    With a ``time.monotonic()`` deadline ``fd`` must be non-blocking (``os.set_blocking``): a
    peer that stops reading (SIGSTOP) with the pipe full then costs a PeerTimeout at the
    deadline, where a blocking write would wait for ever.
    """
    payload = json.dumps(message, separators=(",", ":"), allow_nan=True).encode()
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        _wait(fd, deadline, write=True)
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:  # select said writable, but less room than asked for
            continue


def read_exactly(fd: int, n: int, deadline: float | None = None) -> bytes:
    """Read ``n`` bytes; with a ``time.monotonic()`` deadline, raise PeerTimeout past it."""
    chunks = []
    while n:
        _wait(fd, deadline, write=False)
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise PeerClosed("the other side closed the channel")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def read_message(fd: int, deadline: float | None = None) -> Any:
    """Read one message from ``fd``. Raises PeerClosed at end of file, PeerTimeout past deadline,
    TooComplex for a message over the object or depth limits."""
    (size,) = _HEADER.unpack(read_exactly(fd, _HEADER.size, deadline))
    if size > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message of {size} bytes exceeds the {MAX_MESSAGE_BYTES}-byte limit")
    return parse(read_exactly(fd, size, deadline))


def parse(payload: bytes) -> Any:
    """JSON ``payload`` to Python, refused before parsing if it would build too many objects.

    The counts run over the raw bytes at C speed: a bracket or comma inside a string is counted
    too, which only errs on the safe side (base64 array data contains neither).
    """
    containers = payload.count(b"[") + payload.count(b"{")
    if containers > MAX_CONTAINERS:
        raise TooComplex(f"{containers} nested lists or dicts; at most {MAX_CONTAINERS}")
    values = payload.count(b",")
    if values > MAX_VALUES:
        raise TooComplex(f"{values} values in lists or dicts; at most {MAX_VALUES}")
    try:
        return json.loads(payload)
    except RecursionError:  # json's C parser stops at the interpreter's recursion limit
        raise TooComplex(f"nested more than {MAX_DEPTH} levels deep") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProtocolError(f"malformed message: {exc}") from None


def encode_array(array: np.ndarray, *, torch: bool = False) -> dict[str, Any]:
    """Tag a numeric array (any shape) as data."""
    array = np.asarray(array)  # not ascontiguousarray: it would turn a 0-d array into 1-d
    out: dict[str, Any] = {"__nd__": array.dtype.name, "shape": list(array.shape),
                           "data": base64.b64encode(array.tobytes(order="C")).decode("ascii")}
    if torch:
        out["torch"] = True
    return out


def encode_container(value: Any, item: Callable[[Any], Any]) -> Any:
    """A tuple, list or dict as a wire value, each element through ``item``; ``NotImplemented``
    when ``value`` is none of them. Dicts whose keys are not all plain strings (or could be
    mistaken for tags) travel as ``{"__dict__": [[key, value], ...]}``."""
    if isinstance(value, tuple):
        return {"__tuple__": [item(v) for v in value]}
    if isinstance(value, list):
        return [item(v) for v in value]
    if isinstance(value, dict):
        if all(type(k) is str and not k.startswith("__") for k in value):
            return {k: item(v) for k, v in value.items()}
        return {"__dict__": [[item(k), item(v)] for k, v in value.items()]}
    return NotImplemented


def decode_array(obj: dict[str, Any]) -> np.ndarray:
    """Rebuild a tagged array, checking dtype, shape and byte count; returns a writable copy."""
    dtype, shape, data = obj.get("__nd__"), obj.get("shape"), obj.get("data")
    if dtype not in ALLOWED_DTYPES:
        raise ProtocolError(f"array dtype {dtype!r} is not allowed")
    if not (isinstance(shape, list) and all(type(s) is int and s >= 0 for s in shape)):
        raise ProtocolError("array shape must be a list of non-negative ints")
    if not isinstance(data, str):
        raise ProtocolError("array data must be base64 text")
    raw = base64.b64decode(data, validate=True)
    dt = np.dtype(dtype)
    if len(raw) != int(np.prod(shape, dtype=np.int64)) * dt.itemsize:
        raise ProtocolError("array data does not match its shape")
    return np.frombuffer(raw, dtype=dt).reshape(tuple(shape)).copy()


def decode(obj: Any, *, on_handle: Callable[[dict[str, Any]], Any],
           on_function: Callable[[dict[str, Any]], Any] | None = None,
           on_array: Callable[[np.ndarray, bool], Any] | None = None, depth: int = 0) -> Any:
    """Strictly turn a received JSON value back into Python data.

    ``on_handle`` builds the receiver's view of an object that stayed on the other side;
    ``on_function`` (kernel side only) builds a function from grader-supplied source;
    ``on_array(array, is_torch)`` may turn arrays into tensors (kernel side).
    """
    if depth > MAX_DEPTH:
        raise TooComplex(f"nested more than {MAX_DEPTH} levels deep")
    if obj is None or type(obj) in (bool, int, float, str):
        return obj
    kw: dict[str, Any] = dict(on_handle=on_handle, on_function=on_function, on_array=on_array,
                              depth=depth + 1)
    if type(obj) is list:
        return [decode(v, **kw) for v in obj]
    if type(obj) is not dict:
        raise ProtocolError(f"unexpected JSON value of type {type(obj).__name__}")
    if "__nd__" in obj:
        array = decode_array(obj)
        return on_array(array, bool(obj.get("torch"))) if on_array else array
    if "__tuple__" in obj:
        items = obj["__tuple__"]
        if type(items) is not list:
            raise ProtocolError("tuple payload must be a list")
        return tuple(decode(v, **kw) for v in items)
    if "__dict__" in obj:
        pairs = obj["__dict__"]
        if type(pairs) is not list or not all(type(p) is list and len(p) == 2 for p in pairs):
            raise ProtocolError("dict payload must be a list of pairs")
        result = {}
        for k, v in pairs:
            key = decode(k, **kw)
            try:
                hash(key)
            except TypeError:
                raise ProtocolError("dict key is not hashable") from None
            result[key] = decode(v, **kw)
        return result
    if "__handle__" in obj:
        if type(obj["__handle__"]) is not int:
            raise ProtocolError("handle id must be an int")
        return on_handle(obj)
    if "__fn__" in obj:
        if on_function is None:
            raise ProtocolError("functions may only be sent to the kernel")
        return on_function(obj)
    if any(k.startswith("__") for k in obj):
        raise ProtocolError(f"unknown tag in {sorted(obj)[:3]}")
    return {k: decode(v, **kw) for k, v in obj.items()}

