"""The instructor's outputs of a batch: gradebook CSV and a summary of the class."""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

from deepgrade.grade.runner import Report
from deepgrade.grade.submissions import Submission


def write_gradebook(path: Path, submissions: list[Submission], reports: list[Report]) -> None:
    """One row per submission (student), one column per question, and the total."""
    questions = [q.name for q in reports[0].questions] if reports else []
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["submission", "name", "sid", "email", *questions, "total", "max_total"])
        for sub, report in zip(submissions, reports):
            scores = {q.name: q.score for q in report.questions}
            writer.writerow([sub.key, sub.student.get("name", ""), sub.student.get("sid", ""),
                             sub.student.get("email", ""),
                             *[f"{scores.get(q, 0):g}" for q in questions],
                             f"{report.score:g}", f"{report.max_score:g}"])


def summary(reports: list[Report]) -> str:
    """Per question: mean score and how many earned full marks; then totals and time."""
    if not reports:
        return "(no submissions)"
    n = len(reports)
    rows = [("question", "mean", "full marks")]
    for i, q in enumerate(reports[0].questions):
        scores = [r.questions[i].score for r in reports]
        full = sum(r.questions[i].score >= r.questions[i].max_score for r in reports)
        rows.append((q.name, f"{statistics.mean(scores):.2f}/{q.max_score:g}", f"{full}/{n}"))
    totals = [r.score for r in reports]
    rows.append(("total", f"{statistics.mean(totals):.2f}/{reports[0].max_score:g}",
                 f"{sum(r.score >= r.max_score for r in reports)}/{n}"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    seconds = [r.seconds for r in reports]
    lines.append(f"{n} submissions; grading time per submission: median "
                 f"{statistics.median(seconds):.1f} s, max {max(seconds):.1f} s")
    return "\n".join(lines)
