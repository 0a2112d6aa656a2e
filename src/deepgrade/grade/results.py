"""Gradescope's results.json, and the short table printed for people."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from deepgrade.checks.failures import MAX_REPORTED
from deepgrade.grade.messages import RESULT_LIMIT, one_line
from deepgrade.grade.runner import GradingReport
from deepgrade.written.questions import grading_split


def _round(x: float) -> float:
    return round(x, 4)


# Every line below that can carry text from the student's side (a message, a note, a cell's
# error) passes through one_line: one printable line each, whatever raised it.
def question_output(q) -> str:
    lines = []
    for i, result in enumerate(q.cases, start=1):
        kind = "hidden" if result.case.hidden else "public"
        status = "passed" if result.passed else "failed"
        label = result.case.label
        line = f"{kind} test {i}" + (f" ({one_line(label, 80)})" if label else "") + f": {status}"
        # A case that reports several failing properties (checks.Failures) has one message line
        # per property; the later ones are indented under "and:", so whatever they say they
        # cannot pass for a case's own line ("hidden test 3: passed"), and there are few.
        messages = result.message.split("\n") if not result.passed and result.message else []
        if messages:
            line += f": {one_line(messages[0], RESULT_LIMIT)}"
        lines.append(line)
        lines += [f"    and: {one_line(m, RESULT_LIMIT)}" for m in messages[1:MAX_REPORTED + 1]]
    return "\n".join(lines)


def notebook_output(report: GradingReport) -> str:
    lines = [f"{report.homework}: {_round(report.score)} / {_round(report.max_score)}"]
    if report.written_points:
        lines.append(grading_split(report.homework, _round(report.max_score),
                                   _round(report.written_points)))
    lines += [f"Note: {one_line(n, RESULT_LIMIT)}" for n in report.notes]
    for cell in report.cells:
        if not cell.ok:
            lines.append(f"Cell {cell.index} {one_line(cell.message, RESULT_LIMIT)}")
    if report.whole_run:  # what the student waited for, so that a slow run is seen and reported
        lines.append(f"Graded in {report.seconds:.1f} s, start-up included.")
    # The sandbox's layers are for staff (the log, extra_data), not for the student.
    return "\n".join(lines)


def to_gradescope(report: GradingReport, hidden_visibility: str = "visible") -> dict[str, Any]:
    """Gradescope's documented schema: a total score, a top-level output, one test per question."""
    tests = []
    for number, q in enumerate(report.questions, start=1):
        has_hidden = any(c.case.hidden for c in q.cases)
        tests.append({
            "name": q.name,
            "number": str(number),
            "score": _round(q.score),
            "max_score": _round(q.max_score),
            "status": "passed" if q.score >= q.max_score else "failed",
            "output": question_output(q),
            "visibility": hidden_visibility if has_hidden else "visible",
        })
    return {
        "score": _round(report.score),
        "execution_time": round(report.seconds, 2),
        "output": notebook_output(report),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"timings": report.timings, "layers": report.layers},
        "tests": tests,
    }


def write_results(report: GradingReport, path: Path, hidden_visibility: str = "visible") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_gradescope(report, hidden_visibility), indent=2) + "\n")
