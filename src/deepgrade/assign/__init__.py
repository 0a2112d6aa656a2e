"""``deepgrade build``: a master notebook -> student/, autograder/ and solutions/.

The build is a list of small stages, run in order for each homework (see STAGES). Every mistake
it can find is refused with one line naming the homework, the question, the master's cell and
the test case, and a fix; a build that fails leaves no bundle behind, so that nothing grades
with tests that were never checked.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from deepgrade.assign import autograder, solutions, student_env
from deepgrade.assign.deterministic import normalize_notebook, write_notebook
from deepgrade.assign.lint import check_master_code
from deepgrade.assign.master import MasterSpec, check_master, read_master
from deepgrade.assign.otter_assign import AssignOutput, run_otter_assign
from deepgrade.grade.bundle import Bundle, write_support_files
from deepgrade.project import Homework

if TYPE_CHECKING:
    import nbformat

T = TypeVar("T")


@dataclass
class BuildState:
    hw: Homework  # its out_root is where student/, autograder/, solutions/ go
    scratch: Path
    execute: bool = True
    nb: nbformat.NotebookNode | None = None
    spec: MasterSpec | None = None
    support: dict[str, bytes] = field(default_factory=dict)  # assignments/<hw>/files/, read once
    assigned: AssignOutput | None = None
    bundle: Bundle | None = None
    written: list[Path] = field(default_factory=list)


def _after(value: T | None, stage: str) -> T:
    """``value``, which the earlier stage ``stage`` sets (STAGES runs in order)."""
    assert value is not None, f"the stage '{stage}' runs first"
    return value


def check(state: BuildState) -> None:
    hw = state.hw
    state.nb = read_master(hw.name, hw.master)
    state.spec = check_master(hw.name, state.nb)
    settings = hw.settings  # homework.toml against its schema: one-line errors naming the key
    state.support = autograder.support_files(hw)
    helpers = frozenset({"graderlib"}) if hw.graderlib.is_file() else frozenset()
    check_master_code(hw.name, state.spec, state.support, list(settings["budgets.questions"]),
                      helpers)


def warn_trivial_publics(state: BuildState) -> None:
    # Public tests are feedback; one worth points must not pass on an answer that solves nothing
    # (`deepgrade validate` fails on it; this finds it in seconds, before otter runs).
    from deepgrade.validate.trivial import public_trivial_passes

    for problem in public_trivial_passes(_after(state.nb, "check")):
        print(f"{state.hw.name}: warning: {problem}", file=sys.stderr, flush=True)


def assign(state: BuildState) -> None:
    nb = _after(state.nb, "check the master")
    state.assigned = run_otter_assign(state.hw.name, nb, state.scratch)


def write_student(state: BuildState) -> None:
    import nbformat

    assigned = _after(state.assigned, "run otter-assign")
    out = state.hw.out("student")
    _reset(out)
    nb = solutions.add_feedback(nbformat.read(assigned.student_notebook, as_version=4))
    write_notebook(normalize_notebook(nb, state.hw.name), state.hw.student_notebook)
    shutil.copytree(assigned.student_tests, out / "tests")
    write_support_files({**state.support, **solutions.student_files()}, out)
    state.written.append(out)


def write_student_env(state: BuildState) -> None:
    """What the student needs to run the notebook, beside it: requirements.txt, README.md, and
    the whole folder zipped for the LMS (made last, so that it holds the other two)."""
    from deepgrade.assign.lint import support_modules

    hw = state.hw
    settings = hw.settings[""]
    local = set(support_modules({**state.support, **solutions.student_files()}))
    student_env.write_student_env(hw.name, settings["title"], list(settings["apt_packages"]),
                                  hw.out("student"), local)


def write_autograder(state: BuildState) -> None:
    spec = _after(state.spec, "check the master")
    assigned = _after(state.assigned, "run otter-assign")
    out = state.hw.out("autograder")
    _reset(out)
    names = [q.name for q in spec.autograded]
    written = {q.name: float(q.points or 0) for q in spec.manual}
    state.bundle = autograder.make_bundle(state.hw, names, assigned.autograder_tests,
                                          state.support, written)
    autograder.write_bundle(state.hw, state.bundle)
    state.written.append(out)


def write_solutions(state: BuildState) -> None:
    hw = state.hw
    spec = _after(state.spec, "check the master")
    assigned = _after(state.assigned, "run otter-assign")
    out = hw.out("solutions")
    _reset(out)
    nb = solutions.add_feedback(solutions.solution_notebook(assigned.autograder_notebook))
    if state.execute:
        timeout = int(hw.budgets.cell_seconds)
        solutions.execute(hw.name, nb, assigned.student_tests, timeout,
                          {**state.support, **solutions.student_files()}, spec)
        solutions.check_public_tests(hw.name, nb, spec)
    nb = normalize_notebook(nb, hw.name)
    write_notebook(nb, hw.reference)
    (out / f"{hw.name}-solutions.html").write_text(solutions.render_html(nb))
    title = hw.settings[""]["title"]
    (out / "written-answers.md").write_text(solutions.written_answers(hw.name, spec, title))
    state.written.append(out)


def grade_reference(state: BuildState) -> None:
    """Grade the executed solutions with the trusted grader, as a submission: every point must
    be earned, or the build names the test that the reference fails, with its own message."""
    if state.execute:
        solutions.check_reference_grade(state.hw, _after(state.bundle, "write autograder/"),
                                        _after(state.spec, "check the master"))


# Order matters: `check` gives the cell-numbered errors before otter sees the master; `assign`
# produces what the writers copy; the student's environment (and its zip) reads the finished
# student folder; the solutions come after the bundle because executing them is
# slowest, and grading the reference needs both.
STAGES: list[tuple[str, Callable[[BuildState], None]]] = [
    ("check the master", check),
    ("check public tests against trivial answers", warn_trivial_publics),
    ("run otter-assign", assign),
    ("write student/", write_student),
    ("write the student's environment", write_student_env),
    ("write autograder/", write_autograder),
    ("execute and write solutions/", write_solutions),
    ("grade the reference", grade_reference),
]


def _reset(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def build_homework(hw: Homework, out_root: Path | None = None, *, execute: bool = True,
                   log: Callable[[str], None] | None = None) -> list[Path]:
    """Run every stage for ``hw``; returns the folders written."""
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    hw = hw.with_out_root(out_root)
    with tempfile.TemporaryDirectory(prefix=f"deepgrade-build-{hw.name}-") as tmp:
        state = BuildState(hw, Path(tmp), execute=execute)
        try:
            for label, stage in STAGES:
                start = time.monotonic()
                stage(state)
                log(f"{hw.name}: {label} ({time.monotonic() - start:.1f} s)")
        except BaseException:
            # A bundle whose build failed must not look current to `grade` and `validate`.
            hw.bundle.unlink(missing_ok=True)
            raise
    return state.written
