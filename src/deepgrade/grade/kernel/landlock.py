"""Landlock: a filesystem (and, on newer kernels, network and signal) boundary that needs no
privilege and no mount, so it holds in a Docker container with Docker's defaults.

The kernel restricts itself to: read and execute beneath the system folders and the Python
environment, read beneath /proc and /sys, read and write beneath its own working folder, and
the few device files every program opens. Everything else (the hidden tests, the results, other
submissions, the grader's scratch folders, /tmp, /dev/shm) cannot be opened, listed, written or
executed. Landlock also keeps a sandboxed process from tracing processes outside its domain, and
from ABI 4 on we refuse TCP bind/connect, from ABI 6 on signals and abstract Unix sockets that
reach outside the domain (the grader and its zygote).

Rights are asked for by ABI: every right the running kernel knows is "handled", so what is not
granted is denied (a right this kernel does not know simply cannot be used against us either).
"""

from __future__ import annotations

import ctypes
import errno
import os

from deepgrade.grade.kernel.native import syscall

SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446  # same on every arch
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

FS_BY_ABI = {1: (1 << 13) - 1, 2: REFER, 3: TRUNCATE, 5: IOCTL_DEV}  # rights added per ABI
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV  # those valid on a file
READ_ONLY = EXECUTE | READ_FILE | READ_DIR
DEVICES = ("/dev/null", "/dev/zero", "/dev/random", "/dev/urandom")


class LandlockUnavailable(OSError):
    """The running kernel has no Landlock, or a seccomp profile refuses its system calls."""


def abi_version() -> int:
    """Landlock's ABI version on this kernel; 0 when it has none (or its calls are refused)."""
    version = syscall(SYS_CREATE_RULESET, None, ctypes.c_size_t(0),
                      ctypes.c_uint32(CREATE_RULESET_VERSION))
    return max(int(version), 0)


def handled_fs(abi: int) -> int:
    return sum(bits for since, bits in FS_BY_ABI.items() if abi >= since)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1  # the kernel's struct is packed: 12 bytes
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _attr_size(abi: int) -> int:
    # The struct grew with the ABI: older kernels refuse a larger size with non-zero fields.
    return 8 if abi < 4 else 16 if abi < 6 else 24


def restrict(read_only: list[str], writable: list[str], abi: int | None = None) -> list[str]:
    """Restrict this process (and everything it starts) to the given folders. Irreversible.

    ``read_only`` folders may be read and executed; ``writable`` ones fully used. Paths that do
    not exist are skipped. Needs no_new_privs (or CAP_SYS_ADMIN). Returns what was restricted,
    for the results' layer list (``filesystem``, ``network``, ``signals``).
    """
    abi = abi_version() if abi is None else abi
    if abi < 1:
        raise LandlockUnavailable(errno.ENOSYS, "Landlock is not available on this kernel")
    fs = handled_fs(abi)
    attr = _RulesetAttr(fs, NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0,
                        SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0)
    ruleset = syscall(SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(_attr_size(abi)),
                      ctypes.c_uint32(0))
    if ruleset < 0:
        raise LandlockUnavailable(ctypes.get_errno(), "landlock_create_ruleset refused")
    try:
        rules = [(p, READ_ONLY) for p in read_only] + [(p, fs) for p in writable]
        rules += [(d, READ_FILE | WRITE_FILE | TRUNCATE | IOCTL_DEV) for d in DEVICES]
        for path, rights in rules:
            _allow(ruleset, path, rights & fs)
        if syscall(SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            err = ctypes.get_errno()
            raise LandlockUnavailable(err, f"landlock_restrict_self: {os.strerror(err)}")
    finally:
        os.close(ruleset)
    won = ["filesystem"]
    won += ["network"] if abi >= 4 else []
    won += ["signals"] if abi >= 6 else []
    return won


def _allow(ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # not on this machine (e.g. /lib32): nothing to allow
    try:
        if not os.path.isdir(path):
            rights &= FILE_RIGHTS
        rule = _PathBeneath(rights, fd)
        if syscall(SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(RULE_PATH_BENEATH),
                   ctypes.byref(rule), ctypes.c_uint32(0)) != 0:
            err = ctypes.get_errno()
            raise LandlockUnavailable(err, f"landlock_add_rule {path}: {os.strerror(err)}")
    finally:
        os.close(fd)
