"""Grader-side proxies: student functions, objects and variables reached as data only.

A hidden test reads as if the student's names were local (``softmax(x)``, ``model.grads``); each
use becomes a request to the kernel, and the answer comes back as decoded data or as another
``Remote`` handle. Special (dunder) attributes are never fetched remotely, so a student object
cannot offer NumPy an ``__array_interface__`` that points into the grader's memory.
"""

from __future__ import annotations

import ast
import builtins
import sys
import types
from typing import Any

import numpy as np

from deepgrade.grade import protocol
from deepgrade.grade.messages import one_line
from deepgrade.grade.session import Session, StudentError


class Link:
    """The grader's end of one submission's data channel: grader values go out as wire values,
    replies come back as data or as ``Remote`` proxies.

    ``sources`` maps the filename each test example was compiled under to its text: a function
    a test defines can then be sent to student code as its source (see ``encode_function``).
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sources: dict[str, str] = {}

    def ask(self, message: dict[str, Any], label: str) -> Any:
        """One request; the reply decoded (a StudentError if it cannot be read)."""
        value = self.session.ask(message, label)
        generation = self.session.generation

        def on_handle(handle: dict[str, Any]) -> Remote:
            # A handle is named after the expression that produced it ("softmax(...)").
            return Remote(self, handle, label, generation)
        try:
            return protocol.decode(value, on_handle=on_handle)
        except protocol.ProtocolError as exc:
            raise StudentError(f"{label} returned a value the grader cannot read "
                               f"({one_line(exc)})") from None
        except MemoryError:  # the caps keep a reply to a few hundred MB; a small machine may not
            raise StudentError(f"{label} returned a value too large for the grader's "
                               "memory") from None

    def encode(self, value: Any, depth: int = 0) -> Any:
        """Grader data to the wire: arrays, tensors, containers, handles, test functions."""
        if depth > protocol.MAX_DEPTH - 2:
            raise ValueError("argument nested too deeply")
        if value is None or type(value) in (bool, int, float, str):
            return value
        if isinstance(value, Remote):
            return {"__handle__": value._handle_id()}
        if isinstance(value, types.FunctionType):
            return self.encode_function(value, depth)
        if isinstance(value, np.generic):
            return value.item()
        if isinstance(value, np.ndarray):
            return protocol.encode_array(value)
        torch = sys.modules.get("torch")  # a test can only hold a tensor if torch is loaded
        if torch is not None and isinstance(value, torch.Tensor):
            return protocol.encode_array(value.detach().cpu().numpy(), torch=True)
        encoded = protocol.encode_container(value, lambda v: self.encode(v, depth + 1))
        if encoded is not NotImplemented:
            return encoded
        raise TypeError(f"the grader cannot send a {type(value).__name__} to student code")

    def encode_function(self, fn: types.FunctionType, depth: int) -> dict[str, Any]:
        """A test's function as its source plus the test data it reads (arrays, numbers...).

        Modules the test uses (np, torch, math) exist on the student side already; every other
        global the function reads must itself be data, a student handle or a test function.
        """
        source, name = function_source(fn, self.sources)
        env = {}
        scope = fn.__globals__
        for ref in sorted(referenced_globals(fn.__code__)):
            if ref in ("np", "numpy", "torch", "math") or not dict.__contains__(scope, ref):
                continue
            value = dict.__getitem__(scope, ref)
            if isinstance(value, types.ModuleType):
                continue
            env[ref] = self.encode(value, depth + 1)
        return {"__fn__": source, "name": name, "env": env}


def function_source(fn: types.FunctionType, sources: dict[str, str]) -> tuple[str, str]:
    """``(source, name)`` of a function or lambda defined in a hidden or public test, whose
    text is ``sources[filename it was compiled under]``.

    The source is cut from the test's own text (never from the function object), so what goes
    to the student is exactly what the test author wrote.
    """
    code = fn.__code__
    text = sources.get(code.co_filename)
    if text is None or code.co_freevars:
        raise TypeError(f"the grader can only pass student code functions defined at the top "
                        f"level of a test, not {fn.__qualname__}")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Lambda) and fn.__name__ == "<lambda>" \
                and node.lineno == code.co_firstlineno:
            return f"_test_fn = {ast.get_source_segment(text, node)}", "_test_fn"
        if isinstance(node, ast.FunctionDef) and node.name == fn.__name__:
            segment = ast.get_source_segment(text, node)
            assert segment is not None  # nodes from ast.parse always carry their positions
            return segment, node.name
    raise TypeError(f"the source of {fn.__qualname__} was not found in the test")


def referenced_globals(code: types.CodeType) -> set[str]:
    """Global names a function's code (and the code nested in it) may read."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= referenced_globals(const)
    return names


class Remote:
    """An object that lives in the student's kernel (the one of ``generation``)."""

    __slots__ = ("_link", "_id", "_type", "_callable", "_label", "_generation")

    def __init__(self, link: Link, handle: dict[str, Any], label: str, generation: int) -> None:
        object.__setattr__(self, "_link", link)
        object.__setattr__(self, "_id", handle["__handle__"])
        object.__setattr__(self, "_type", one_line(handle.get("type", "object"), 60))
        object.__setattr__(self, "_callable", bool(handle.get("callable")))
        object.__setattr__(self, "_label", label)
        object.__setattr__(self, "_generation", generation)

    def _handle_id(self) -> int:
        """The id to send, if the object still exists: after a restart the kernel is a new
        process, where this id names nothing (or another object)."""
        if self._link.session.generation != self._generation:
            raise StudentError(f"{self._label} was lost when your kernel was restarted after "
                               "a fault in an earlier test")
        return self._id

    def _ask(self, op: str, label: str, **fields: Any) -> Any:
        return self._link.ask({"op": op, "target": self._handle_id(), **fields}, label)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        label = f"{self._label}(...)"
        return self._ask("call", label, args=self._link.encode(list(args)),
                         kwargs=self._link.encode(kwargs))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._ask("getattr", f"{self._label}.{name}", name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        """Set a data attribute of the student's object: how a test makes a model use the
        parameters the test chose (``model.parameters = {...}``). Only data crosses."""
        if name.startswith("__"):
            raise StudentError(f"the grader cannot set {self._label}.{name}")
        self._ask("setattr", f"setting {self._label}.{name}", name=name,
                  value=self._link.encode(value))

    def __getitem__(self, key: Any) -> Any:
        return self._ask("getitem", f"{self._label}[...]", key=self._link.encode(key))

    def __len__(self) -> int:
        value = self._ask("len", f"len({self._label})")
        if type(value) is not int:
            raise StudentError(f"len({self._label}) did not return an int")
        return value

    def __iter__(self):
        value = self._ask("list", f"iterating over {self._label}")
        return iter(value)

    def __repr__(self) -> str:
        return f"<student {self._type} {self._label}>"

    def __deepgrade_cpu__(self) -> float:
        """The student's kernel's CPU seconds so far (checks.timing measures calls with it)."""
        return self._link.session.cpu_seconds()

    def __bool__(self) -> bool:
        return True


class StudentNamespace(dict):
    """Globals for a hidden test: trusted names first, then the student's, fetched on first use.

    Names fetched from the kernel are forgotten when it restarts (a test crashed it), so the
    next test fetches them again from the new kernel instead of failing on a dead handle.
    """

    def __init__(self, session: Session, trusted: dict[str, Any]) -> None:
        super().__init__(trusted)
        self.link = Link(session)
        self._trusted = frozenset(trusted)
        self._fetched: set[str] = set()
        self._generation = session.generation

    def add_test_source(self, filename: str, source: str) -> None:
        """Record the text of a test example compiled under ``filename`` (see Link.sources)."""
        self.link.sources[filename] = source

    def run_cell(self, source: str) -> None:
        """Run code in the student's kernel (used by calibration, never by hidden tests)."""
        self.link.session.run_source(source)
        for name in [k for k in self if k not in self._trusted]:
            del self[name]  # the cell may have rebound names: fetch them again

    def __getitem__(self, name: str) -> Any:
        # Test code reads its globals through here (a dict subclass as exec globals).
        if self._generation != self.link.session.generation:
            self._generation = self.link.session.generation
            for stale in self._fetched & set(self):
                del self[stale]
            self._fetched.clear()
        return super().__getitem__(name)

    def __missing__(self, name: str) -> Any:
        # KeyError lets Python fall back to the builtins (len, range, print...).
        if name.startswith("__") or hasattr(builtins, name):
            raise KeyError(name)
        value = self.link.ask({"op": "get", "name": name}, name)
        self[name] = value
        self._fetched.add(name)
        return value


__all__ = ["Link", "Remote", "StudentError", "StudentNamespace", "function_source"]
