"""Equivalent answers, built from the reference: what runs in the kernel of an equivalent-form
notebook.

``deepgrade validate`` splices, after the cell that defines each graded function or class, a
cell that runs this file's source (self-contained: NumPy, and torch when a value is a tensor) and
rebinds the name to ``_deepgrade_equivalent(form, value)``: the same answer, returned in another
form that the course's contract accepts ("anything ``np.asarray`` turns into the right shape"):

- ``lists``: every array (and tensor) as nested lists, NumPy scalars as Python numbers;
- ``tuples``: every array (and tensor) as nested tuples;
- ``0d``: every number as a 0-d array;
- ``floats``: every 0-d array and NumPy scalar as a Python float (or int);
- ``arrays``: every tensor as a NumPy array (where the contract says "a tensor or an array").

Containers (tuples, lists, dicts) keep their type; only their leaves change. Only a call from
the grader gets the new form: when the student's own code calls the function (a training loop
calling its layers), it gets the original value, as it would from a student who wrote it so.
"""

import functools as _dg_functools
import sys as _dg_sys

import numpy as _dg_np

_DG_MAX_DEPTH = 6


def _dg_from_grader():
    """Whether the wrapper's caller is the kernel's worker, serving a request of the grader."""
    frame = _dg_sys._getframe(2)
    return frame is not None and frame.f_code.co_filename.replace("\\", "/").endswith(
        "deepgrade/grade/kernel/worker.py")


def _dg_tensor_type():
    torch = _dg_sys.modules.get("torch")
    return torch.Tensor if torch is not None else ()


def _dg_nested(array, container):
    if array.ndim == 0:
        return array.item()
    return container(_dg_nested(row, container) for row in array)


def _dg_convert(form, value, depth=0):
    """``value`` in ``form``, of the same structure."""
    if depth > _DG_MAX_DEPTH or isinstance(value, (bool, _dg_np.bool_, str, bytes)):
        return value
    tensor = _dg_tensor_type()
    if tensor and isinstance(value, tensor):
        if value.requires_grad or value.layout.__repr__() != "torch.strided":
            return value
        if form in ("lists", "tuples", "arrays"):
            value = value.detach().cpu().numpy()
        else:
            return value
    if isinstance(value, _dg_np.ndarray):
        if value.dtype.kind not in "biuf":
            return value
        if form == "lists":
            return value.tolist()
        if form == "tuples":
            return _dg_nested(value, tuple)
        if form == "floats" and value.ndim == 0:
            return value.item()
        return value
    if isinstance(value, (_dg_np.integer, _dg_np.floating)):
        return _dg_np.asarray(value) if form == "0d" else value.item()
    if isinstance(value, (int, float)):
        return _dg_np.asarray(value) if form == "0d" else value
    if isinstance(value, dict):
        return {k: _dg_convert(form, v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and type(value) in (list, tuple):
        return type(value)(_dg_convert(form, v, depth + 1) for v in value)
    return value


def _dg_wrap(form, fn):
    @_dg_functools.wraps(fn)
    def answer(*args, **kwargs):
        result = fn(*args, **kwargs)
        return _dg_convert(form, result) if _dg_from_grader() else result
    answer._deepgrade_equivalent = form
    return answer


def _deepgrade_equivalent(form, value):
    """``value`` (a graded function or class) answering in ``form``."""
    if isinstance(value, type):
        for name, attr in list(vars(value).items()):
            if name.startswith("__") and name != "__call__":
                continue
            if isinstance(attr, (staticmethod, classmethod)):
                setattr(value, name, type(attr)(_dg_wrap(form, attr.__func__)))
            elif callable(attr) and not isinstance(attr, type):
                setattr(value, name, _dg_wrap(form, attr))
        return value
    if callable(value) and not getattr(value, "_deepgrade_equivalent", None):
        return _dg_wrap(form, value)
    return value
