"""Gradescope's exported scores of the written (exam-style) assignment -> scores per student.

The CSV is what *Review Grades -> Export Grades -> CSV* gives for an assignment. The columns
relied on:

- ``SID`` and ``Email``: who the row is (either may be empty; a row with neither is skipped);
- one column per question of the assignment's outline, titled ``<number>: <title> (<max> pts)``
  (``1: written_softmax_derivative (4.0 pts)``; sub-questions as ``1.2: ...``); a question
  that was not graded, or a student without a submission, has an empty cell.

Every other column (``Name`` or ``First Name``/``Last Name``, ``Sections``, ``Total Score``,
``Max Points``, ``Status``, ``Submission ID``, ``Submission Time``, ``Lateness (H:M:S)``,
``View Count``, ``Submission Count``) is ignored. A column is matched to a written question by
its title when the title is the question's name (how the README asks instructors to name
them), else by its number: the k-th top-level question is written question k, as the pages
are laid out. Sub-question columns (``1.1``, ``1.2``) are added up into their question.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from deepgrade.errors import UserError
from deepgrade.written.questions import WrittenQuestion

_QUESTION_COLUMN = re.compile(r"^\s*(\d+)((?:\.\d+)*)\s*:\s*(.*?)\s*\(\s*([\d.]+)\s*pts?\s*\)\s*$")


def _question_of(header: str, questions: list[WrittenQuestion]) -> tuple[str, bool] | None:
    """The written question a column belongs to, and whether it is a sub-question."""
    match = _QUESTION_COLUMN.match(header)
    if not match:
        return None
    number, sub, title = int(match.group(1)), match.group(2), match.group(3).strip()
    by_name = {q.name: q for q in questions}
    if title in by_name and not sub:
        return title, False
    if 1 <= number <= len(questions):
        return questions[number - 1].name, bool(sub)
    return None


def read_gradescope_scores(path: Path, questions: list[WrittenQuestion]
                           ) -> dict[str, dict[str, float]]:
    """``{sid or email: {question name: score}}`` from Gradescope's scores CSV.

    Each row is keyed by its SID when it has one, and also by its email, so a caller can match
    a gradebook row by either. Questions without a score in the CSV are left out of that
    student's dict (not graded is not zero).
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None
    if not rows:
        raise UserError(f"{path} is empty; export the written assignment's grades from "
                        "Gradescope as CSV (Review Grades -> Export Grades)")
    header = rows[0]
    columns = {i: _question_of(h, questions) for i, h in enumerate(header)}
    columns = {i: c for i, c in columns.items() if c is not None}
    # A question split into parts: its parts carry the scores (never count the parent twice).
    split = {name for name, sub in columns.values() if sub}
    columns = {i: (name, sub) for i, (name, sub) in columns.items() if sub or name not in split}
    if "SID" not in header and "Email" not in header:
        raise UserError(f"{path}: no 'SID' or 'Email' column; is this Gradescope's scores CSV?")
    if not columns:
        raise UserError(f"{path}: no question columns like '1: {questions[0].name} "
                        f"({questions[0].points:g} pts)'; export the grades of the written "
                        "assignment, not of the autograded one")
    sid_col = header.index("SID") if "SID" in header else None
    email_col = header.index("Email") if "Email" in header else None
    scores: dict[str, dict[str, float]] = {}
    for line, row in enumerate(rows[1:], start=2):
        row = row + [""] * (len(header) - len(row))
        keys = [row[c].strip() for c in (sid_col, email_col) if c is not None and row[c].strip()]
        if not keys:
            continue
        student: dict[str, float] = {}
        for i, (name, _sub) in columns.items():
            cell = row[i].strip()
            if not cell:
                continue
            try:
                value = float(cell)
            except ValueError:
                raise UserError(f"{path}, line {line}, column '{header[i]}': {cell!r} is not "
                                "a score") from None
            student[name] = student.get(name, 0.0) + value
        for key in keys:
            scores[key] = student
    return scores
