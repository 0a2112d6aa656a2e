"""Grade one submission: run its notebook in the sandboxed kernel, then the tests in the grader.

This is the single interface every caller uses (``deepgrade grade``, ``validate``, Gradescope's
``run_autograder``): ``grade_submission(bundle, path) -> GradingReport``.
"""

from __future__ import annotations

import doctest
import functools
import hashlib
import math
import sys
import time
import types
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from deepgrade.checks.failures import CheckFailures
from deepgrade.grade.bundle import Bundle, Case, Question, fault_of_test
from deepgrade.grade.kernel import GraderFault, KernelDied, KernelFault
from deepgrade.grade.kernel.client import exposure_notes
from deepgrade.grade.messages import describe_exception, one_line
from deepgrade.grade.notebook import NotebookError, ParsedNotebook, read_submission
from deepgrade.grade.proxy import StudentNamespace
from deepgrade.grade.session import CellOutcome, Session, StudentError


@dataclass
class CaseResult:
    case: Case
    passed: bool
    message: str = ""  # one line per failing property (see checks.Failures), nearest the bug first


@dataclass
class QuestionResult:
    question: Question
    cases: list[CaseResult]

    @property
    def name(self) -> str:
        return self.question.name

    @property
    def max_score(self) -> float:
        return self.question.max_score

    @property
    def score(self) -> float:
        if self.question.all_or_nothing:
            return self.max_score if all(c.passed for c in self.cases) else 0.0
        return float(sum(c.case.points for c in self.cases if c.passed))


@dataclass
class GradingReport:
    """The outcome of grading one submission."""

    homework: str
    submission: str
    questions: list[QuestionResult] = field(default_factory=list)
    cells: list[CellOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    seconds: float = 0.0  # grading (grade_submission); a Gradescope run: the whole run
    timings: dict[str, float] = field(default_factory=dict)  # start, cells, tests, stop (s)
    unreadable: bool = False  # the file could not be read as a notebook at all
    grader_fault: str = ""  # for staff: why this submission was not graded (not its fault)
    written_points: float = 0.0  # the homework's staff-graded points, not part of this score
    whole_run: bool = False  # ``seconds`` counts the whole run, start-up included (Gradescope)

    @property
    def score(self) -> float:
        return float(sum(q.score for q in self.questions))

    @property
    def max_score(self) -> float:
        return float(sum(q.max_score for q in self.questions))

    def by_name(self) -> dict[str, QuestionResult]:
        return {q.name: q for q in self.questions}


# The names every hidden test finds predefined (besides the homework's helper modules); the
# build's static checks read this too.
TRUSTED_NAMES = frozenset({"np", "numpy", "math", "torch", "checks", "SUBMISSION_SEED"})


def trusted_globals(bundle: Bundle | None = None, seed: int = 0) -> dict[str, Any]:
    """What hidden tests see besides the student's names: the grader's own libraries, the
    homework's helper modules (importable by name, e.g. ``from graderlib import check_mlp``)
    and ``SUBMISSION_SEED``, for inputs that must differ between submissions."""
    import torch

    from deepgrade import checks

    helpers = bundle.helper_modules() if bundle is not None else {}
    sys.modules.update(helpers)  # the grader grades one homework at a time
    names = {"np": np, "numpy": np, "math": math, "torch": torch, "checks": checks,
             "SUBMISSION_SEED": seed}
    assert set(names) == TRUSTED_NAMES
    return {**names, **helpers, "__name__": "__deepgrade_test__"}


def submission_seed(cells: list[tuple[int, str]]) -> int:
    """A seed drawn from the submission's code: the same notebook always gets the same inputs
    (grading is repeatable), and answers read from one submission's failure messages do not
    fit another's inputs."""
    digest = hashlib.sha256("\0".join(source for _, source in cells).encode()).digest()
    return int.from_bytes(digest[:4], "little")


@functools.cache
def compiled_examples(question: str, case: Case) -> list[tuple[str, str, types.CodeType]]:
    """A case's doctest examples as ``(filename, source, code)``, parsed and compiled once per
    grader process (not per submission)."""
    code = []
    for number, example in enumerate(doctest.DocTestParser().get_examples(case.code)):
        filename = f"<test {question}: {case.name}, example {number}>"
        code.append((filename, example.source, compile(example.source, filename, "exec")))
    return code


def run_case(session: Session, question: Question, case: Case, ns: StudentNamespace) -> CaseResult:
    """Run one test case's examples; a failure message never quotes the test's code. A case
    whose kernel was killed from outside is run once more in a fresh kernel before that death
    is charged (Session.should_retry)."""
    point = f"{question.name}: {case.name}"
    while True:
        try:
            result = _attempt_case(session, question, case, ns)
        except KernelDied as exc:
            if session.should_retry(exc, point):
                session.recover(counted=False)
                continue
            session.recover()
            return CaseResult(case, False, one_line(exc))
        session.settle(point)
        return result


def _attempt_case(session: Session, question: Question, case: Case,
                  ns: StudentNamespace) -> CaseResult:
    session.begin_test(session.budgets.for_question(question.name))
    try:
        for filename, source, code in compiled_examples(question.name, case):
            ns.add_test_source(filename, source)  # a test function can be sent as its source
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # warnings from torch/numpy are noise here
                exec(code, ns)
    # Messages may quote what the student's code returned or raised: each is cut to one line.
    except CheckFailures as exc:  # every failing property of the case, one line each
        return CaseResult(case, False, "\n".join(one_line(m) for m in exc.messages))
    except AssertionError as exc:
        return CaseResult(case, False, one_line(exc) or "a check on your answer failed")
    except StudentError as exc:
        return CaseResult(case, False, one_line(exc))
    except KernelDied:
        raise  # run_case decides: run again, or charge it
    except KernelFault as exc:
        session.recover()
        return CaseResult(case, False, one_line(exc))
    except GraderFault:
        raise
    except MemoryError:  # the grader itself ran short while using the answer
        return CaseResult(case, False, "the test ran out of memory using your answer")
    except Exception as exc:  # the test could not use the student's answer (wrong type, shape)
        if fault := fault_of_test(exc):  # ...unless the test failed by its own fault
            return CaseResult(case, False, fault)
        return CaseResult(case, False, f"the test could not use your answer "
                                       f"({describe_exception(exc)})")
    return CaseResult(case, True)


def failed_report(bundle: Bundle, submission: str, reason: str) -> GradingReport:
    """Zero on every question, with one reason: for submissions that cannot be run at all."""
    report = GradingReport(bundle.homework, submission, notes=[reason],
                    written_points=sum(bundle.written.values()))
    for q in bundle.questions:
        report.questions.append(QuestionResult(q, [CaseResult(c, False, reason) for c in q.cases]))
    return report


NOT_GRADED = ("not graded: ask staff to regrade. Your work was not graded: the autograder "
              "failed on its own side, not because of your code, and staff have been told.")


def grader_fault_report(bundle: Bundle, submission: str, reason: str) -> GradingReport:
    """A submission the grader could not grade through its own fault: no score is a grade.
    ``reason`` is for staff (the log, the store); the student reads NOT_GRADED."""
    report = failed_report(bundle, submission, NOT_GRADED)
    report.grader_fault = " ".join(reason.split())[:500] or "unknown"
    return report


def blank_written_answers(bundle: Bundle, submission: ParsedNotebook) -> list[str]:
    """A note per written question the submission leaves as handed out (none when the bundle
    has no written questions or no student notebook to compare with)."""
    if not bundle.handed_out or not bundle.written_order or submission.notebook is None:
        return []
    from deepgrade.written.answers import handed_out_template, unanswered

    return unanswered(submission.notebook, bundle.written_order,
                      handed_out_template(bundle.handed_out))


def grade_submission(bundle: Bundle, path: Path) -> GradingReport:
    """Grade the notebook at ``path`` against ``bundle``; never raises for a student's fault."""
    start = time.monotonic()
    try:
        submission = read_submission(path, bundle.homework)
    except NotebookError as exc:
        report = failed_report(bundle, path.name, str(exc))
        report.unreadable = True
        report.seconds = time.monotonic() - start
        return report
    report = GradingReport(bundle.homework, path.name, notes=list(submission.warnings),
                    written_points=sum(bundle.written.values()))
    report.notes += blank_written_answers(bundle, submission)
    clock = time.monotonic()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        report.timings[name] = round(now - clock, 4)
        clock = now

    try:
        session = Session(bundle.budgets, support_files=bundle.support_files)
        with session:
            lap("start")
            session.run_cells(submission.cells)
            report.cells = session.outcomes
            report.layers = session.layers
            report.notes += exposure_notes()
            lap("cells")
            trusted = trusted_globals(bundle, submission_seed(submission.cells))
            for question in bundle.questions:
                session.begin_question()
                ns = StudentNamespace(session, trusted)
                results = [run_case(session, question, case, ns) for case in question.cases]
                report.questions.append(QuestionResult(question, results))
            report.notes += session.notes
            lap("tests")
        lap("stop")
    except KernelFault as exc:
        report = failed_report(bundle, path.name, f"the notebook could not be run: {exc}")
    except GraderFault as exc:
        report = grader_fault_report(bundle, path.name, str(exc))
    report.seconds = time.monotonic() - start
    return report
