"""Comparing a student's array with the expected one, and saying precisely where it differs."""

from __future__ import annotations

from typing import Any

import numpy as np


def as_float_array(value: Any, name: str) -> np.ndarray:
    """``np.asarray(value, float64)``, or an AssertionError that says what came back instead."""
    if value is None:
        raise AssertionError(f"{name} returned None: did you finish the function and `return`?")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise AssertionError(
            f"{name} returned {type(value).__name__}, which is not a number or an array of "
            "numbers") from None
    return array


def assert_shape(value: Any, shape: tuple[int, ...], name: str) -> np.ndarray:
    """Return ``value`` as a float64 array of exactly ``shape``, or fail saying both shapes."""
    array = as_float_array(value, name)
    if array.shape != tuple(shape):
        raise AssertionError(f"{name}: expected shape {tuple(shape)}, got {array.shape}")
    return array


def relative_error(got: np.ndarray, expected: np.ndarray, floor: float = 1e-12) -> np.ndarray:
    """``|got - expected| / max(|expected|, floor)`` elementwise (same shapes)."""
    return np.abs(got - expected) / np.maximum(np.abs(expected), floor)


def assert_close(got: Any, expected: Any, name: str, *, rtol: float = 1e-7,
                 atol: float = 1e-12) -> None:
    """Fail unless ``got`` matches ``expected`` (any shape) within ``atol + rtol * |expected|``.

    The message names the worst entry: its index, the expected value rounded far coarser than
    the tolerance (``shown_digits``: enough to see a sign error or a wrong factor, too few to
    copy an answer from), the student's value, the relative error and the tolerance (when the
    two values agree to the digits shown, the relative error and the tolerance lead and the
    student's value is left out: it would look equal); and, when
    every entry is off by one common factor (-1, 2, 1/n...), that factor. Non-finite values in
    ``got`` where ``expected`` is finite are reported first.
    """
    expected = np.asarray(expected, dtype=np.float64)
    got = assert_shape(got, expected.shape, name)
    digits = shown_digits(rtol)
    bad_finite = ~np.isfinite(got) & np.isfinite(expected)
    if bad_finite.any():
        index = tuple(int(i) for i in np.argwhere(bad_finite)[0])
        raise AssertionError(
            f"{name}: entry {_fmt_index(index)} is {got[index]} (not finite); expected about "
            f"{expected[index]:.{digits}g}")
    same_nonfinite = ~np.isfinite(expected) & (got == expected)
    excess = np.where(same_nonfinite, 0.0,
                      np.abs(got - expected) - (atol + rtol * np.abs(expected)))
    excess = np.nan_to_num(excess, nan=np.inf)
    if excess.size and excess.max() > 0:
        index = tuple(int(i) for i in np.unravel_index(int(np.argmax(excess)), excess.shape))
        rel = float(relative_error(got[index], expected[index]))
        count = int((excess > 0).sum())
        shown = f"{expected[index]:.{digits}g}"
        tolerance = f"tolerance rtol={rtol:g}, atol={atol:g}"
        if f"{got[index]:.{digits}g}" == shown:
            # The two values would print alike: the size of the difference is the news.
            detail = (f"relative error {rel:.2e}, more than the {tolerance} (the values agree "
                      f"to the {digits} digits shown: about {shown})")
        else:
            detail = (f"expected about {shown}, got {got[index]:.4g} (relative error "
                      f"{rel:.2e}, {tolerance})")
        raise AssertionError(
            f"{name}: {count} of {excess.size} entries differ; worst at {_fmt_index(index)}: "
            f"{detail}{_factor_hint(got, expected)}")


def shown_digits(rtol: float) -> int:
    """Significant digits of an expected value in a failure message: at least two fewer than the
    tolerance resolves (rtol 1e-7 shows 3, 1e-4 shows 2, 1e-2 shows 1)."""
    resolved = int(np.floor(-np.log10(max(rtol, 1e-16))))
    return int(np.clip(resolved - 2, 1, 3))


def _factor_hint(got: np.ndarray, expected: np.ndarray) -> str:
    """`` (your values are -1 x the expected ones: a sign error?)`` when one factor explains it."""
    finite = np.isfinite(got) & np.isfinite(expected)
    e, g = expected[finite], got[finite]
    norm = float(e @ e) if e.size else 0.0
    if norm == 0.0 or e.size < 1:
        return ""
    factor = float(g @ e) / norm
    if abs(factor - 1.0) < 1e-3 or not np.allclose(g, factor * e, rtol=1e-6, atol=1e-12):
        return ""
    if abs(factor + 1.0) < 1e-6:
        return " (your values are -1 x the expected ones: a sign error?)"
    if abs(factor) < 1e-12:
        return ""
    return f" (your values are {factor:.3g} x the expected ones: a missing or extra factor?)"


def _fmt_index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(map(str, index)) + "]" if index else "(scalar)"
