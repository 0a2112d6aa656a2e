"""Isolation of the student's kernel: which layers are available here, and how to apply them.

Layers, strongest last; each one that cannot be had is left out and named in the results:
- ``session``: its own session and process group;
- ``limits``: address-space, file-size, core-dump rlimits;
- ``subreaper``: the grader adopts escaped daemons so that it can kill them.
"""

from __future__ import annotations

import ctypes
import os
import resource
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
_subreaper = False


def become_subreaper() -> bool:
    """Make this process adopt orphaned descendants (Linux); True when it worked."""
    global _subreaper
    if not _subreaper:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            _subreaper = libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
        except (OSError, AttributeError):
            _subreaper = False
    return _subreaper


@dataclass
class SandboxSpec:
    """How to start one kernel: command wrapper, environment, pre-exec hook, active layers."""

    env: dict[str, str]
    preexec: Callable[[], None]
    layers: list[str] = field(default_factory=list)

    def wrap(self, argv: list[str]) -> list[str]:
        return argv


def kernel_env(workdir: Path) -> dict[str, str]:
    """A clean environment: nothing of the grader's leaks in; one thread, like Gradescope's CPU."""
    venv_bin = str(Path(sys.executable).parent)
    return {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLCONFIGDIR": str(workdir / ".mpl"),
    }


def prepare(workdir: Path, memory_mb: int) -> SandboxSpec:
    """The sandbox for one kernel run in ``workdir``."""
    limit = memory_mb * 1024 * 1024

    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024 * 1024, 256 * 1024 * 1024))

    layers = ["session", "limits"] + (["subreaper"] if become_subreaper() else [])
    return SandboxSpec(env=kernel_env(workdir), preexec=preexec, layers=layers)
