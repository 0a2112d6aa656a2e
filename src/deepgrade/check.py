"""``deepgrade check HW NOTEBOOK``: a notebook's public tests, as the student's
``grader.check_all()`` runs them.

The notebook runs top to bottom in a Jupyter kernel, in a scratch folder laid out as the
student's (the built public tests, the feedback shim, the support files), by the build's own
runner of the solutions (``assign.solutions.execute``); then one cell added at the end calls
otter's ``check_all()`` and hands back each case's result. Every cell is tagged
``raises-exception`` (nbclient's own tag), so a cell that raises is reported and the rest run.
Nothing is graded: the hidden tests and the points are the autograder's. The kernel is not
sandboxed (it is the student's own view of their work): grade submissions
with ``deepgrade grade``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import nbformat

from deepgrade.errors import UserError
from deepgrade.grade.notebook import NotebookError, read_submission
from deepgrade.project import Homework
from deepgrade.words import counted

_MARK = "<<deepgrade-check>>"
# Runs otter's check_all in the notebook's globals (it reads its caller's frame), and prints
# every case's result as one JSON line after the mark.
_CHECK_CELL = """import json as _dg_json
import otter as _dg_otter
import deepgrade_feedback
_dg_results = _dg_otter.Notebook(NOTEBOOK).check_all()
print(MARK + _dg_json.dumps({
    _dg_name: [[_dg_r.test_case.name, bool(_dg_r.passed), _dg_r.message or ""]
               for _dg_r in _dg_file.test_case_results]
    for _dg_name, _dg_file in _dg_results.results.items()}))"""


def check_cell(notebook_name: str) -> str:
    """The cell added at the end of the notebook."""
    return _CHECK_CELL.replace("NOTEBOOK", repr(notebook_name)).replace("MARK", repr(_MARK))


@dataclass(frozen=True)
class CaseCheck:
    name: str  # otter's case name, e.g. "relu - 1"
    passed: bool
    message: str  # what grader.check shows for a failing case (the line, the error)


@dataclass(frozen=True)
class CheckResult:
    """What ``check_all()`` said, per question, and the cells that raised on the way."""

    questions: dict[str, list[CaseCheck]]
    errors: list[tuple[int, str]]  # (cell number from 1, "NameError: ...")

    @property
    def ok(self) -> bool:
        return all(c.passed for cases in self.questions.values() for c in cases)


def check_notebook(hw: Homework, notebook: Path, timeout: int | None = None) -> CheckResult:
    """Run ``notebook`` as the student would, then ``grader.check_all()``; a UserError when the
    notebook cannot be read or the homework's student folder is not built. ``timeout``: per
    cell, seconds (the homework's ``cell_seconds`` by default)."""
    from nbclient.exceptions import CellControlSignal, DeadKernelError

    from deepgrade.assign import autograder, solutions
    from deepgrade.assign.master import check_master, read_master

    student = hw.out("student")
    if not (student / "tests").is_dir():
        raise UserError(f"{hw.name}: no public tests in {student}/tests; run `deepgrade build "
                        f"{hw.name}` first")
    try:
        read_submission(notebook, hw.name)  # the grader's own reading: same one-line reasons
    except NotebookError as exc:
        raise UserError(f"{notebook}: {exc}") from None
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(check_cell(f"{hw.name}.ipynb")))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            tags = cell.metadata.setdefault("tags", [])
            if "raises-exception" not in tags:
                tags.append("raises-exception")
    spec = check_master(hw.name, read_master(hw.name, hw.master))
    support = {**autograder.support_files(hw), **solutions.student_files()}
    try:
        solutions.execute(hw.name, nb, student / "tests",
                          timeout or int(hw.budgets.cell_seconds), support, spec)
    except (CellControlSignal, DeadKernelError) as exc:  # a cell that hung, a dead kernel
        why = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise UserError(f"{notebook}: the notebook could not be run to the end ({why}); "
                        "run it in Jupyter to see which cell stops") from None
    *cells, last = nb.cells
    errors = [(i, f"{o.get('ename')}: {' '.join(str(o.get('evalue')).split())[:200]}")
              for i, c in enumerate(cells, start=1) if c.cell_type == "code"
              for o in c.get("outputs", []) if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in last.get("outputs", [])
                   if o.get("output_type") == "stream")
    if _MARK not in text:
        why = next((f"{o.get('ename')}: {o.get('evalue')}" for o in last.get("outputs", [])
                    if o.get("output_type") == "error"), "no output")
        raise UserError(f"{notebook}: grader.check_all() did not run ({why})")
    found = json.loads(text.split(_MARK, 1)[1].splitlines()[0])
    questions = {q: [CaseCheck(str(n), bool(p), str(m)) for n, p, m in cases]
                 for q, cases in found.items()}
    return CheckResult(questions, errors)


def format_check(notebook: Path, result: CheckResult) -> str:
    """Per question: passed, or the failing cases with grader.check's message; then the cells
    that raised, and one line of totals."""
    lines = [f"{notebook}: public tests, as grader.check_all() runs them"]
    width = max((len(q) for q in result.questions), default=0)
    for question, cases in result.questions.items():
        failed = [c for c in cases if not c.passed]
        if not failed:
            lines.append(f"  {question:<{width}}  passed ({counted(len(cases), 'test')})")
            continue
        lines.append(f"  {question:<{width}}  FAILED {len(failed)} of "
                     f"{counted(len(cases), 'test')}")
        for case in failed:
            # otter's own first line ("Test case failed") says nothing the FAILED above does not
            detail = [m.strip() for m in case.message.replace("❌ Test case failed", "")
                      .splitlines() if m.strip()]
            lines.append(f"    {case.name}: {' / '.join(detail) or 'failed'}")
    for number, error in result.errors:
        lines.append(f"  cell {number} raised {error} (Run All in Jupyter stops there; the "
                     "cells after it were run anyway)")
    passing = sum(all(c.passed for c in cases) for cases in result.questions.values())
    lines.append(f"public tests passed on {passing} of "
                 f"{counted(len(result.questions), 'question')}; the hidden tests and the points "
                 "come from the autograder")
    return "\n".join(lines)


def main(hw: Homework, notebook: Path) -> bool:
    """Print the check of ``notebook``; True when every public test passes."""
    result = check_notebook(hw, notebook)
    print(format_check(notebook, result))
    return result.ok
