"""Shared fixtures: the repository, its built homeworks, and a way to run the CLI as users do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, cwd: Path = ROOT, timeout: float = 600) -> subprocess.CompletedProcess:
    """``deepgrade ARGS`` in a subprocess; returns the completed process (text output)."""
    return subprocess.run([sys.executable, "-m", "deepgrade", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def homeworks() -> list[str]:
    from deepgrade.project import list_homeworks

    return list_homeworks(ROOT)
