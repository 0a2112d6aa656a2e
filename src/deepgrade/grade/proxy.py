"""Grader-side proxies: student functions, objects and variables reached as data only.

A hidden test reads as if the student's names were local (``softmax(x)``, ``model.grads``); each
use becomes a request to the kernel, and the answer comes back as decoded data or as another
``Remote`` handle. Special (dunder) attributes are never fetched remotely, so a student object
cannot offer NumPy an ``__array_interface__`` that points into the grader's memory.
"""

from __future__ import annotations

import ast
import builtins
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deepgrade.grade.session import Session


class StudentError(Exception):
    """Student code raised, or a student name is missing; the message is for the student."""


# Source of every test example the runner compiled, by the filename it was compiled under: a
# function a test defines can then be sent to student code as source (see encode_function).
TEST_SOURCES: dict[str, str] = {}


def function_source(fn: types.FunctionType) -> tuple[str, str]:
    """``(source, name)`` of a function or lambda defined in a hidden or public test.

    The source is cut from the test's own text (never from the function object), so what goes
    to the student is exactly what the test author wrote.
    """
    code = fn.__code__
    text = TEST_SOURCES.get(code.co_filename)
    if text is None or code.co_freevars:
        raise TypeError(f"the grader can only pass student code functions defined at the top "
                        f"level of a test, not {fn.__qualname__}")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Lambda) and fn.__name__ == "<lambda>" \
                and node.lineno == code.co_firstlineno:
            return f"_test_fn = {ast.get_source_segment(text, node)}", "_test_fn"
        if isinstance(node, ast.FunctionDef) and node.name == fn.__name__:
            return ast.get_source_segment(text, node), node.name
    raise TypeError(f"the source of {fn.__qualname__} was not found in the test")


def referenced_globals(code: types.CodeType) -> set[str]:
    """Global names a function's code (and the code nested in it) may read."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= referenced_globals(const)
    return names


class Remote:
    """An object that lives in the student's kernel."""

    __slots__ = ("_session", "_id", "_type", "_callable", "_label")

    def __init__(self, session: Session, handle: dict[str, Any], label: str) -> None:
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_id", handle["__handle__"])
        object.__setattr__(self, "_type", str(handle.get("type", "object"))[:60])
        object.__setattr__(self, "_callable", bool(handle.get("callable")))
        object.__setattr__(self, "_label", label)

    def _ask(self, op: str, label: str, **fields: Any) -> Any:
        return self._session.ask({"op": op, "target": self._id, **fields}, label)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        label = f"{self._label}(...)"
        return self._ask("call", label, args=self._session.encode(list(args)),
                         kwargs=self._session.encode(kwargs))

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
                  value=self._session.encode(value))

    def __getitem__(self, key: Any) -> Any:
        return self._ask("getitem", f"{self._label}[...]", key=self._session.encode(key))

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

    def __bool__(self) -> bool:
        return True


class StudentNamespace(dict):
    """Globals for a hidden test: trusted names first, then the student's, fetched on first use."""

    def __init__(self, session: Session, trusted: dict[str, Any]) -> None:
        super().__init__(trusted)
        self._session = session
        self._trusted = frozenset(trusted)

    def run_cell(self, source: str) -> None:
        """Run code in the student's kernel (used by calibration, never by hidden tests)."""
        self._session.run_source(source)
        for name in [k for k in self if k not in self._trusted]:
            del self[name]  # the cell may have rebound names: fetch them again

    def __missing__(self, name: str) -> Any:
        # KeyError lets Python fall back to the builtins (len, range, print...).
        if name.startswith("__") or hasattr(builtins, name):
            raise KeyError(name)
        value = self._session.get_global(name)
        self[name] = value
        return value


__all__ = ["Remote", "StudentError", "StudentNamespace", "TEST_SOURCES", "function_source"]
