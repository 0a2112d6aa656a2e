"""The few C library calls the sandbox needs that Python's ``os`` module does not offer."""

from __future__ import annotations

import ctypes
import ctypes.util
import os

libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
libc.syscall.restype = ctypes.c_long


def check(result: int, what: str) -> None:
    """Raise OSError with errno's text when a libc call returned non-zero."""
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def prctl(option: int, value: int) -> bool:
    return libc.prctl(option, value, 0, 0, 0) == 0


def syscall(number: int, *args: object) -> int:
    """A raw system call; returns its result (-1 with errno set on failure)."""
    return libc.syscall(number, *args)
