"""Running a homework's hidden tests in-process against local objects (no kernel, no proxies):
for tests that check, quickly and precisely, what each hidden test catches."""

from __future__ import annotations

import ast
import doctest
import re
import warnings
from pathlib import Path

import nbformat

from conftest import ROOT
from deepgrade.grade.bundle import Bundle, Case
from deepgrade.grade.runner import trusted_globals


def hidden_cases(bundle: Bundle, name: str) -> list[Case]:
    question = next(q for q in bundle.questions if q.name == name)
    return [c for c in question.cases if c.hidden]


def reference_cells(reference: Path) -> list[str]:
    return [c.source for c in nbformat.read(reference, as_version=4).cells if c.cell_type == "code"]


def reference_definitions(reference: Path) -> list[str]:
    """Sources of the reference notebook's cells that only import and define (no plots)."""
    definitions = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
    return [source for source in reference_cells(reference)
            if (body := ast.parse(source).body) and all(isinstance(n, definitions) for n in body)]


def run_locally(case: Case, student: dict, bundle: Bundle | None = None) -> str | None:
    """Run a test case against local objects; the failure message, or None when it passes.
    The message is the assertion's own (the runner adds nothing to those); other exceptions
    read ``Type: message`` here, where the runner would say "the test could not use your
    answer". ``bundle`` provides the homework's graderlib, as in the grader."""
    ns = {**trusted_globals(bundle),
          **{k: v for k, v in student.items() if not k.startswith("__")}}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # overflow warnings of wrong variants are noise
            for example in doctest.DocTestParser().get_examples(case.code):
                exec(compile(example.source, f"<{case.name}>", "exec"), ns)
    except AssertionError as exc:
        return str(exc) or "assertion failed"
    except Exception as exc:  # the test could not use the answer
        return f"{type(exc).__name__}: {exc}"
    return None


def failures(bundle: Bundle, name: str, student: dict) -> dict[str, str]:
    """{case name: failure message} of the hidden cases of question ``name`` that fail."""
    out = {}
    for case in hidden_cases(bundle, name):
        message = run_locally(case, student, bundle)
        if message is not None:
            out[case.name] = message
    return out


def course_questions(hw: str) -> list[str] | None:
    """The question names the course contract (docs/course.md) lists for ``hw``, in order."""
    path = ROOT / "docs" / "course.md"
    if not path.is_file():
        return None
    section = path.read_text().split(f"\n## {hw}:")[1].split("\n## ")[0]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)
