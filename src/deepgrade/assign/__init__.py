"""``deepgrade build``: a master notebook -> student/, autograder/ and solutions/.

The build is a list of small stages, run in order for each homework (see STAGES).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from deepgrade.assign import autograder, solutions
from deepgrade.assign.otter_assign import AssignOutput, run_otter_assign
from deepgrade.assign.deterministic import normalize_notebook, write_notebook
from deepgrade.assign.master import MasterSpec, check_master, read_master
from deepgrade.project import Homework


@dataclass
class BuildState:
    hw: Homework
    out_root: Path  # where student/, autograder/, solutions/ go (the repo root by default)
    scratch: Path
    execute: bool = True
    nb: object = None
    spec: MasterSpec | None = None
    support: dict[str, bytes] = field(default_factory=dict)  # assignments/<hw>/files/, read once
    assigned: AssignOutput | None = None
    written: list[Path] = field(default_factory=list)


def check(state: BuildState) -> None:
    state.nb = read_master(state.hw.name, state.hw.master)
    state.spec = check_master(state.hw.name, state.nb)
    state.support = autograder.support_files(state.hw)


def warn_trivial_publics(state: BuildState) -> None:
    # Public tests are feedback; one worth points must not pass on an answer that solves nothing
    # (`deepgrade validate` fails on it; this finds it in seconds, before otter runs).
    from deepgrade.validate.trivial import public_trivial_passes

    for problem in public_trivial_passes(state.nb):
        print(f"{state.hw.name}: warning: {problem}", file=sys.stderr, flush=True)


def assign(state: BuildState) -> None:
    state.assigned = run_otter_assign(state.hw.name, state.nb, state.scratch)


def write_student(state: BuildState) -> None:
    import nbformat

    out = state.hw.out("student", state.out_root)
    _reset(out)
    nb = nbformat.read(state.assigned.student_notebook, as_version=4)
    write_notebook(normalize_notebook(nb, state.hw.name), out / f"{state.hw.name}.ipynb")
    shutil.copytree(state.assigned.student_tests, out / "tests")
    for name, data in state.support.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    state.written.append(out)


def write_autograder(state: BuildState) -> None:
    out = state.hw.out("autograder", state.out_root)
    _reset(out)
    names = [q.name for q in state.spec.autograded]
    autograder.write_bundle(state.hw, names, state.assigned.autograder_tests, state.support, out)
    state.written.append(out)


def write_solutions(state: BuildState) -> None:
    out = state.hw.out("solutions", state.out_root)
    _reset(out)
    nb = solutions.solution_notebook(state.assigned.autograder_notebook)
    if state.execute:
        timeout = int(state.hw.budgets.cell_seconds)
        solutions.execute(state.hw.name, nb, state.assigned.student_tests, timeout,
                          state.support)
        solutions.check_public_tests(state.hw.name, nb)
    nb = normalize_notebook(nb, state.hw.name)
    write_notebook(nb, out / f"{state.hw.name}-solutions.ipynb")
    (out / f"{state.hw.name}-solutions.html").write_text(solutions.render_html(nb))
    (out / "written-answers.md").write_text(solutions.written_answers(state.hw.name, state.spec))
    state.written.append(out)


# Order matters: `check` gives the cell-numbered errors before otter sees the master; `assign`
# produces what the writers copy; the solutions come last because executing them is slowest.
STAGES: list[tuple[str, Callable[[BuildState], None]]] = [
    ("check the master", check),
    ("check public tests against trivial answers", warn_trivial_publics),
    ("run otter-assign", assign),
    ("write student/", write_student),
    ("write autograder/", write_autograder),
    ("execute and write solutions/", write_solutions),
]


def _reset(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def build_homework(hw: Homework, out_root: Path | None = None, *, execute: bool = True,
                   log: Callable[[str], None] | None = None) -> list[Path]:
    """Run every stage for ``hw``; returns the folders written."""
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    with tempfile.TemporaryDirectory(prefix=f"deepgrade-build-{hw.name}-") as tmp:
        state = BuildState(hw, out_root or hw.root, Path(tmp), execute=execute)
        for label, stage in STAGES:
            start = time.monotonic()
            stage(state)
            log(f"{hw.name}: {label} ({time.monotonic() - start:.1f} s)")
    return state.written
