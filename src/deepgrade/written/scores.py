"""Gradescope's exported scores of the written (exam-style) assignment -> scores per student.

The CSV is what *Review Grades -> Export Grades -> CSV* gives for an assignment. The columns
relied on:

- ``SID`` and ``Email``: who the row is (either may be empty; a row with neither is skipped);
- one column per question of the assignment's outline, titled ``<number>: <title> (<max> pts)``
  (``1: written_softmax_derivative (4.0 pts)``; sub-questions as ``1.2: ...``); a question
  that was not graded, or a student without a submission, has an empty cell.

``Name`` (or ``First Name``/``Last Name``) identifies a row with neither SID nor email. Every
other column (``Sections``, ``Total Score``, ``Max Points``, ``Status``, ``Submission ID``,
``Submission Time``, ``Lateness (H:M:S)``, ``View Count``, ``Submission Count``) is ignored. A
column is matched to a written question by its title when the title is the question's name
(how docs/written.md asks instructors to name them) or reads as it (``Convexity`` or ``written
convexity`` for ``written_convexity``), else by its number: the k-th top-level question is
written question k, as the pages are laid out. A plain column named after a question works too.
Sub-question columns (``1.1``, ``1.2``) are added up into their question.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

from deepgrade.errors import UserError
from deepgrade.written.questions import WrittenQuestion

_NUMBER = re.compile(r"^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", re.IGNORECASE)
_QUESTION_COLUMN = re.compile(r"^\s*(\d+)((?:\.\d+)*)\s*:\s*(.*?)\s*\(\s*([\d.]+)\s*pts?\s*\)\s*$")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower()).removeprefix("written")


def _question_of(header: str, questions: list[WrittenQuestion]) -> tuple[str, bool] | None:
    """The written question a column belongs to, and whether it is a sub-question."""
    by_name = {q.name: q for q in questions}
    if header.strip() in by_name:
        return header.strip(), False
    match = _QUESTION_COLUMN.match(header)
    if not match:
        return None
    number, sub, title = int(match.group(1)), match.group(2), match.group(3).strip()
    by_norm = {_norm(q.name): q.name for q in questions}
    if not sub and (title in by_name or _norm(title) in by_norm):
        return by_name[title].name if title in by_name else by_norm[_norm(title)], False
    if 1 <= number <= len(questions):
        return questions[number - 1].name, bool(sub)
    return None


def column_map(header: list[str], questions: list[WrittenQuestion]) -> dict[str, list[str]]:
    """Written question -> the CSV columns that carry its score (its parts, where split)."""
    found: dict[str, list[str]] = {}
    columns = [(h, _question_of(h, questions)) for h in header]
    split = {c[0] for _, c in columns if c is not None and c[1]}
    for h, c in columns:
        if c is not None and (c[1] or c[0] not in split):
            found.setdefault(c[0], []).append(h)
    return found


def _check_columns(path: Path, header: list[str], found: dict[str, list[str]],
                   questions: list[WrittenQuestion]) -> None:
    """Refuse a file whose question columns are not this homework's: another count of
    numbered questions with titles that name none of them, or other points."""
    top = [(h, m) for h in header if (m := _QUESTION_COLUMN.match(h)) and not m.group(2)]
    titled = {q.name for q in questions} | {_norm(q.name) for q in questions}
    untitled = [h for h, m in top if m.group(3).strip() not in titled
                and _norm(m.group(3)) not in titled]
    if untitled and len(top) != len(questions):
        raise UserError(f"{path}, column '{untitled[0]}': names none of the {len(questions)} "
                        f"written questions and the file has {len(top)} numbered questions, "
                        f"not {len(questions)}; is it the scores file of another homework?")
    for q in questions:
        columns = found.get(q.name, [])
        worth = [float(m.group(4)) for h in columns if (m := _QUESTION_COLUMN.match(h))]
        if worth and abs(sum(worth) - q.points) > 1e-6:
            raise UserError(f"{path}, column '{columns[0]}': worth {sum(worth):g} points, but "
                            f"written question {q.name} is worth {q.points:g}; is it the scores "
                            "file of another homework?")


def _score(path: Path, line: int, column: str, cell: str, points: float) -> float:
    """A score cell as a number in 0..points, or a one-line refusal naming line and column."""
    where = f"{path}, line {line}, column '{column}'"
    if cell.startswith(("=", "@", "+", "-", "\t", "\r")) and not _NUMBER.match(cell):
        raise UserError(f"{where}: {cell!r} is a formula, not a score; export the grades again "
                        "from Gradescope (or save the sheet's values, not its formulas)")
    # float() also takes "nan", "inf", "1_0" and " 1 ": a score is a plain decimal number.
    if not _NUMBER.match(cell) or not math.isfinite(value := float(cell)):
        raise UserError(f"{where}: {cell!r} is not a score (a number from 0 to {points:g})")
    if not 0 <= value <= points:
        raise UserError(f"{where}: {value:g} is outside 0..{points:g} (its points in the master)")
    return value


def read_gradescope_scores(path: Path, questions: list[WrittenQuestion]
                           ) -> dict[str, dict[str, float]]:
    """``{sid or email: {question name: score}}`` from Gradescope's scores CSV.

    Each row is keyed by its SID when it has one, and also by its email, so a caller can match
    a gradebook row by either. Questions without a score in the CSV are left out of that
    student's dict (not graded is not zero).
    """
    scores: dict[str, dict[str, float]] = {}
    for _line, (sid, email, _name), student in read_score_rows(path, questions):
        for key in (sid, email):
            if key:
                scores[key] = student
    return scores


def read_score_rows(path: Path, questions: list[WrittenQuestion]
                    ) -> list[tuple[int, tuple[str, str, str], dict[str, float]]]:
    """``(line, (sid, email, name), {question: score})`` per student row ("" where the row has
    none); rows with none of the three are skipped."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None
    if not rows:
        raise UserError(f"{path} is empty; export the written assignment's grades from "
                        "Gradescope as CSV (Review Grades -> Export Grades)")
    header = [h.strip() for h in rows[0]]
    # A question split into parts: its parts carry the scores (never count the parent twice).
    found = column_map(header, questions)
    columns = {header.index(h): (name, False) for name, hs in found.items() for h in hs}
    _check_columns(path, header, found, questions)
    points = {q.name: q.points for q in questions}
    lower = [h.lower() for h in header]
    if not {"sid", "email", "name"} & set(lower):
        raise UserError(f"{path}: no 'SID', 'Email' or 'Name' column; is this Gradescope's "
                        "scores CSV?")
    if not columns:
        raise UserError(f"{path}: no question columns like '1: {questions[0].name} "
                        f"({questions[0].points:g} pts)'; export the grades of the written "
                        "assignment, not of the autograded one")

    def col(name: str) -> int | None:
        return lower.index(name) if name in lower else None

    sid_col, email_col, name_col = col("sid"), col("email"), col("name")
    first, last = col("first name"), col("last name")
    out: list[tuple[int, tuple[str, str, str], dict[str, float]]] = []
    for line, row in enumerate(rows[1:], start=2):
        row = row + [""] * (len(header) - len(row))
        name = row[name_col].strip() if name_col is not None else " ".join(
            row[c].strip() for c in (first, last) if c is not None and row[c].strip())
        keys = (row[sid_col].strip() if sid_col is not None else "",
                row[email_col].strip() if email_col is not None else "", name)
        if not any(keys):
            continue
        student: dict[str, float] = {}
        for i, (question, _sub) in columns.items():
            cell = row[i].strip()
            if not cell:
                continue
            # A part is checked against its question's points; their sum is checked below.
            value = _score(path, line, header[i], cell, points[question])
            student[question] = student.get(question, 0.0) + value
        out.append((line, keys, student))
    return out
