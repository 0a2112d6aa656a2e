"""Grade one submission: run its notebook in the sandboxed kernel, then the tests in the grader.

This is the single interface every caller uses (``deepgrade grade``, ``validate``, Gradescope's
``run_autograder``): ``grade_submission(bundle, path) -> Report``.
"""

from __future__ import annotations

import doctest
import hashlib
import math
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from deepgrade.grade.bundle import Bundle, Case, Question
from deepgrade.grade.kernel import KernelFault
from deepgrade.grade.notebook import NotebookError, read_submission
from deepgrade.grade.proxy import TEST_SOURCES, StudentError, StudentNamespace
from deepgrade.grade.session import CellOutcome, Session


@dataclass
class CaseResult:
    case: Case
    passed: bool
    message: str = ""


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
class Report:
    """The outcome of grading one submission."""

    homework: str
    submission: str
    questions: list[QuestionResult] = field(default_factory=list)
    cells: list[CellOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # start, cells, tests, stop (s)
    unreadable: bool = False  # the file could not be read as a notebook at all

    @property
    def score(self) -> float:
        return float(sum(q.score for q in self.questions))

    @property
    def max_score(self) -> float:
        return float(sum(q.max_score for q in self.questions))

    def by_name(self) -> dict[str, QuestionResult]:
        return {q.name: q for q in self.questions}


def trusted_globals(bundle: Bundle | None = None, seed: int = 0) -> dict[str, Any]:
    """What hidden tests see besides the student's names: the grader's own libraries, the
    homework's helper modules (importable by name, e.g. ``from graderlib import check_mlp``)
    and ``SUBMISSION_SEED``, for inputs that must differ between submissions."""
    import torch

    from deepgrade import checks

    helpers = bundle.helper_modules() if bundle is not None else {}
    sys.modules.update(helpers)  # the grader grades one homework at a time
    return {"np": np, "numpy": np, "math": math, "torch": torch, "checks": checks,
            "SUBMISSION_SEED": seed, **helpers, "__name__": "__deepgrade_test__"}


def submission_seed(cells: list[tuple[int, str]]) -> int:
    """A seed drawn from the submission's code: the same notebook always gets the same inputs
    (grading is repeatable), and answers read from one submission's failure messages do not
    fit another's inputs."""
    digest = hashlib.sha256("\0".join(source for _, source in cells).encode()).digest()
    return int.from_bytes(digest[:4], "little")


def run_case(session: Session, question: Question, case: Case, ns: StudentNamespace) -> CaseResult:
    """Run one test case's examples; a failure message never quotes the test's code."""
    session.begin_test(session.budgets.for_question(question.name))
    examples = doctest.DocTestParser().get_examples(case.code)
    try:
        for number, example in enumerate(examples):
            filename = f"<test {question.name}: {case.name}, example {number}>"
            TEST_SOURCES[filename] = example.source
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # warnings from torch/numpy are noise here
                exec(compile(example.source, filename, "exec"), ns)
    except AssertionError as exc:
        return CaseResult(case, False, str(exc).strip() or "a check on your answer failed")
    except StudentError as exc:
        return CaseResult(case, False, str(exc))
    except KernelFault as exc:
        session.recover()
        return CaseResult(case, False, str(exc))
    except Exception as exc:  # the test could not use the student's answer (wrong type, shape)
        text = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        return CaseResult(case, False, f"the test could not use your answer ({text})")
    return CaseResult(case, True)


def failed_report(bundle: Bundle, submission: str, reason: str) -> Report:
    """Zero on every question, with one reason: for submissions that cannot be run at all."""
    report = Report(bundle.homework, submission, notes=[reason])
    for q in bundle.questions:
        report.questions.append(QuestionResult(q, [CaseResult(c, False, reason) for c in q.cases]))
    return report


def grade_submission(bundle: Bundle, path: Path) -> Report:
    """Grade the notebook at ``path`` against ``bundle``; never raises for a student's fault."""
    start = time.monotonic()
    try:
        submission = read_submission(path)
    except NotebookError as exc:
        report = failed_report(bundle, path.name, str(exc))
        report.unreadable = True
        report.seconds = time.monotonic() - start
        return report
    report = Report(bundle.homework, path.name, notes=list(submission.warnings))
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
            lap("cells")
            trusted = trusted_globals(bundle, submission_seed(submission.cells))
            for question in bundle.questions:
                ns = StudentNamespace(session, trusted)
                results = [run_case(session, question, case, ns) for case in question.cases]
                report.questions.append(QuestionResult(question, results))
            lap("tests")
        lap("stop")
    except KernelFault as exc:
        report = failed_report(bundle, path.name, f"the notebook could not be run: {exc}")
    report.seconds = time.monotonic() - start
    return report
