"""Shared fixtures: the repository, its built homeworks, and a way to run the CLI as users do."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
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


def pip_install(venv: Path, *args: str, timeout: float = 1800) -> float:
    """``pip install ARGS`` into ``venv`` (quietly, without byte-compiling: Python compiles what
    it imports); returns the seconds it took. A failure shows pip's last lines."""
    import time

    start = time.monotonic()
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                           "--no-compile", *args], capture_output=True, text=True,
                          timeout=timeout)
    tail = "\n".join([line for line in (done.stdout + done.stderr).splitlines()
                      if not line.startswith("WARNING: Location")][-15:])
    assert done.returncode == 0, f"pip install {' '.join(args)} failed:\n{tail}"
    return time.monotonic() - start


@pytest.fixture(scope="session")
def fresh_venv(tmp_path_factory) -> Path:
    """A new virtual environment outside the repository, with only torch 2.13.0 CPU installed
    (first, as every install page says; pip finds the local CPU wheel). One per session: the
    student's requirements go in first (tests/test_student_env.py), deepgrade's wheel after
    (tests/test_package.py), so that each test sees what its own install brought."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip_install(venv, "torch==2.13.0")
    return venv


# Run in the fresh venv's own Python: nbclient there (otter brings it) and its ipykernel.
_RUN = """
import json, subprocess, sys
import nbformat
from nbclient import NotebookClient
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
NotebookClient(nb, timeout=900, kernel_name="python3", allow_errors=True,
               resources={"metadata": {"path": sys.argv[2]}}).execute(stderr=subprocess.DEVNULL)
text = lambda c: "".join(str(o.get("data", {}).get("text/plain", o.get("text", "")))
                         for o in c.get("outputs", []))
print(json.dumps({
    "errors": [[i, o.get("ename"), o.get("evalue")] for i, c in enumerate(nb.cells, 1)
               for o in c.get("outputs", []) if o.get("output_type") == "error"],
    "checks": [[c.source, text(c)] for c in nb.cells
               if c.cell_type == "code" and "grader.check(" in c.source]}))
"""


@pytest.fixture(scope="session")
def student_runs(fresh_venv, tmp_path_factory):
    """Each homework's requirements.txt installed into the fresh venv (nothing else but torch),
    then its student notebook and its solutions run there top to bottom: {(hw, kind): run}.
    Runs before deepgrade's wheel goes into the same venv (tests/test_package.py asks for it)."""
    runs = {}
    for hw in homeworks():
        seconds = pip_install(fresh_venv, "-r", str(ROOT / "student" / hw / "requirements.txt"))
        for kind in ("student", "solutions"):
            folder = tmp_path_factory.mktemp(f"{hw}-{kind}") / hw
            shutil.copytree(ROOT / "student" / hw, folder)
            if kind == "solutions":  # the reference's code, in the student's folder and name
                shutil.copy(ROOT / "solutions" / hw / f"{hw}-solutions.ipynb",
                            folder / f"{hw}.ipynb")
            start = time.monotonic()
            done = subprocess.run([str(fresh_venv / "bin" / "python"), "-c", _RUN,
                                   str(folder / f"{hw}.ipynb"), str(folder)], cwd=folder,
                                  capture_output=True, text=True, timeout=1800)
            assert done.returncode == 0, done.stderr[-3000:]
            runs[hw, kind] = {**json.loads(done.stdout.splitlines()[-1]), "install": seconds,
                              "seconds": time.monotonic() - start}
    return runs


# The longest tests (minutes each, from `make test PYTEST_ARGS=--durations=40`), longest first.
# pytest-xdist's worksteal gives each of the N workers a contiguous 1/N of the collection and
# steals from the tail: so the longest tests are dealt out round-robin to the heads of the N
# parts (one starting late kept a worker busy for minutes after the other had finished).
LONGEST_FIRST = ("test_validate.py::test_validate[hw4]", "test_container.py::test_cheating_corpus",
                 "test_validate.py::test_validate[hw3]",
                 "test_sandbox.py::test_cheats_earn_nothing_and_leave_nothing[21_slow_replays]",
                 "test_validate.py::test_validate[hw2]",
                 "test_authoring.py::test_new_homework_builds_validates",
                 "test_validate.py::test_validate[hw1]",
                 "test_container.py::test_graders_beside_each_other")


def _rank(item) -> int:
    return next((i for i, prefix in enumerate(LONGEST_FIRST) if prefix in item.nodeid),
                len(LONGEST_FIRST))


def pytest_collection_modifyitems(config, items) -> None:
    """The longest tests go first (LONGEST_FIRST; the rest keep their order). Tests that
    install a fresh venv from PyPI (the student's requirements, deepgrade's wheel) take about
    20 minutes: they run with `make test-install` (DEEPGRADE_INSTALL_TESTS=1), which is run
    before a release, and are skipped, with that reason, by `make test`."""
    workers = getattr(config.option, "numprocesses", None)
    workers = workers if isinstance(workers, int) and workers > 1 else 1
    longest = sorted((i for i in items if _rank(i) < len(LONGEST_FIRST)), key=_rank)
    rest = [i for i in items if _rank(i) == len(LONGEST_FIRST)]
    parts: list[list] = [longest[w::workers] for w in range(workers)]
    size = -(-len(items) // workers)  # the part each worker is given first
    for part in parts:
        take = max(size - len(part), 0)
        part += rest[:take]
        del rest[:take]
    parts[-1] += rest
    items[:] = [i for part in parts for i in part]
    if os.environ.get("DEEPGRADE_INSTALL_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="installs a fresh venv from PyPI: run `make test-install`")
    for item in items:
        if "install" in item.keywords:
            item.add_marker(skip)
