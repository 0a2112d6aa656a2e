"""Trivial answers, built from the reference: what runs in the kernel of a trivial-mutant notebook.

``deepgrade validate`` splices, after the cell that defines each graded name, a cell that runs
this file's source (it is self-contained: NumPy, and torch when the value needs it) and rebinds
the name to ``_deepgrade_trivial(kind, value)``:

- a function becomes one that returns the trivial value of ``kind``;
- a class becomes a subclass whose ``__init__`` leaves trivial attributes and whose methods
  return trivial values (so ``model.grads`` stays trivial too);
- any other value (a trained model, a dict of losses) becomes its trivial counterpart.

Kinds: ``none`` (None), ``zero`` (the number 0), ``zeros``, ``ones``, ``nan``, ``random`` (the
reference's output, run on copies of the arguments so nothing is mutated, and a trainer (a
function taking ``epochs``) for zero epochs, with every number replaced and every shape, dtype
and container kept), ``echo`` (the first argument unchanged)
and ``untrained`` (a training function run for zero epochs; a torch model re-initialised,
keeping its architecture; nothing else changed). Under the other kinds a torch model becomes
one with no weights at all.
"""

import copy as _dg_copy
import functools as _dg_functools
import inspect as _dg_inspect
import sys as _dg_sys

import numpy as _dg_np

_DG_RNG = _dg_np.random.default_rng(20240)  # fixed: grading a trivial mutant twice agrees
_DG_FILLS = ("zeros", "ones", "nan", "random")
_DG_MAX_DEPTH = 6


def _dg_number(kind, value):
    """The trivial counterpart of one number, keeping int-ness where the kind allows it."""
    integral = isinstance(value, (int, _dg_np.integer))
    if kind in ("zero", "zeros"):
        return 0 if integral else 0.0
    if kind == "ones":
        return 1 if integral else 1.0
    if kind == "nan":
        return float("nan")
    return int(_DG_RNG.integers(-100, 100)) if integral else float(_DG_RNG.normal())


def _dg_array(kind, value):
    if value.dtype.kind not in "iuf":
        return value.copy()
    if kind in ("zero", "zeros"):
        return _dg_np.zeros_like(value)
    if kind == "ones":
        return _dg_np.ones_like(value)
    if kind == "nan":
        return _dg_np.full(value.shape, _dg_np.nan)
    if value.dtype.kind == "f":
        return _DG_RNG.normal(size=value.shape).astype(value.dtype)
    return _DG_RNG.integers(-100, 100, size=value.shape).astype(value.dtype)


def _dg_torch(kind, value):
    """Tensors and modules, if torch is loaded (a value can only be a tensor if it is)."""
    torch = _dg_sys.modules.get("torch")
    if torch is None:
        return NotImplemented
    if isinstance(value, torch.nn.Module):
        if kind != "untrained":
            # A model's "value" is its architecture: the trivial one has none (no weights,
            # the input passed through). Weights of the right shapes are the untrained kind.
            return torch.nn.Sequential()
        model = _dg_copy.deepcopy(value)
        with torch.no_grad():
            for module in model.modules():
                if hasattr(module, "reset_parameters"):
                    module.reset_parameters()
        return model
    if isinstance(value, torch.Tensor):
        value = value.detach()
        if kind in ("zero", "zeros"):
            return torch.zeros_like(value)
        if kind == "ones":
            return torch.ones_like(value)
        if not value.is_floating_point():
            return torch.randint_like(value, -100, 100) if kind == "random" else value.clone()
        return torch.full_like(value, float("nan")) if kind == "nan" else torch.randn_like(value)
    return NotImplemented


def _dg_fill(kind, value, depth=0):
    """The trivial counterpart of ``value`` for ``kind``, of the same structure."""
    if kind == "none" or value is None:
        return None
    if kind == "untrained":
        done = _dg_torch(kind, value)
        return value if done is NotImplemented else done
    if isinstance(value, (bool, _dg_np.bool_, str, bytes)) or callable(value) and \
            not hasattr(value, "__dict__"):
        return value
    if isinstance(value, (int, float, _dg_np.integer, _dg_np.floating)):
        return _dg_number(kind, value)
    if isinstance(value, _dg_np.ndarray):
        return _dg_array(kind, value)
    done = _dg_torch(kind, value)
    if done is not NotImplemented:
        return done
    if depth >= _DG_MAX_DEPTH:
        return None
    if isinstance(value, dict):
        return {k: _dg_fill(kind, v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_dg_fill(kind, v, depth + 1) for v in value)
    if _dg_inspect.isroutine(value) or _dg_inspect.isclass(value) or _dg_inspect.ismodule(value):
        return value
    if hasattr(value, "__dict__"):  # a student object (a layer, a model): its attributes
        clone = _dg_copy.copy(value)
        for key, attr in list(vars(value).items()):
            setattr(clone, key, _dg_fill(kind, attr, depth + 1))
        return clone
    return value


def _dg_untrained_call(fn, args, kwargs):
    """``fn`` run with ``epochs=0`` when it takes an ``epochs`` argument, else as it is."""
    try:
        bound = _dg_inspect.signature(fn).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return fn(*args, **kwargs)
    if "epochs" in _dg_inspect.signature(fn).parameters:
        bound.arguments["epochs"] = 0
    return fn(*bound.args, **bound.kwargs)


def _dg_answer(kind, fn, args, kwargs):
    """What a trivial version of ``fn`` returns for these arguments."""
    if kind == "none":
        return None
    if kind == "zero":
        return 0
    if kind == "echo":
        return args[0] if args else next(iter(kwargs.values()), None)
    if kind == "untrained":
        return _dg_untrained_call(fn, args, kwargs)
    try:  # on copies: the reference must not train or fill anything the test reads later;
        # a trainer runs for zero epochs (its output's structure is all that is used)
        out = _dg_untrained_call(fn, _dg_copies(args), _dg_copies(kwargs))
    except Exception:
        return None
    return _dg_fill(kind, out)


def _dg_copies(values):
    """Deep copies of arguments, except plain arrays and tensors (data sets can be large, and the
    references never write into their input arrays)."""
    torch = _dg_sys.modules.get("torch")

    def one(value):
        if isinstance(value, _dg_np.ndarray) or torch is not None and \
                type(value) is torch.Tensor:
            return value
        return _dg_copy.deepcopy(value)
    if isinstance(values, dict):
        return {k: one(v) for k, v in values.items()}
    return tuple(one(v) for v in values)


def _dg_wrap_function(kind, fn):
    @_dg_functools.wraps(fn)
    def trivial(*args, **kwargs):
        return _dg_answer(kind, fn, args, kwargs)
    return trivial


def _dg_wrap_class(kind, cls):
    def init(self, *args, **kwargs):
        cls.__init__(self, *args, **kwargs)
        if kind == "untrained":
            return  # an untrained object is the reference's own
        fill = "zeros" if kind == "echo" else kind  # echoing is for methods; state is trivial
        for key, attr in list(vars(self).items()):
            setattr(self, key, _dg_fill(fill, attr))

    def method(fn):
        @_dg_functools.wraps(fn)
        def trivial(self, *args, **kwargs):
            if kind == "untrained":
                return fn(self, *args, **kwargs)
            return _dg_answer(kind, fn, (_dg_copy.deepcopy(self), *args), kwargs) \
                if kind in _DG_FILLS else _dg_answer(kind, fn, args, kwargs)
        return trivial

    body = {"__init__": init, "__doc__": cls.__doc__, "__module__": cls.__module__}
    for klass in reversed(cls.__mro__[:-1]):
        for key, attr in vars(klass).items():
            if not key.startswith("__") and _dg_inspect.isfunction(attr):
                body[key] = method(attr)
    return type(cls.__name__, (cls,), body)


def _deepgrade_trivial(kind, value):
    """The trivial counterpart of a graded name's value (a function, a class or data)."""
    if _dg_inspect.isclass(value):
        return _dg_wrap_class(kind, value)
    if _dg_inspect.isfunction(value):
        return _dg_wrap_function(kind, value)
    return _dg_fill(kind, value)
