"""Merging staff's scores of the written questions into the grade store.

The written answers are graded on Gradescope as a separate assignment (one PDF per class, a page
per question). Its "Download Grades" CSV has the student's ``SID``/``Email``/``Name`` (or
``First Name`` and ``Last Name``) and one column per question titled ``<number>: <title>
(<points> pts)``. A column is matched to a written question by its title (``written_convexity``,
"Convexity" and "written convexity" all match), else by position when the CSV has exactly one
numbered column per written question. A plain column named after the question also works. Empty
cells (not graded yet) are skipped; students are found by sid, then email, then name.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from deepgrade.errors import UserError
from deepgrade.store import GradeStore

_QUESTION_COLUMN = re.compile(r"^\s*(\d+(?:\.\d+)*)\s*:\s*(.*?)\s*(?:\(\s*[\d.]+\s*pts?\s*\))?\s*$")


def _norm(text: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "", text.lower())
    return text.removeprefix("written")


def match_columns(header: list[str], questions: list[tuple[str, float]],
                  origin: str) -> dict[str, str]:
    """Written question -> CSV column."""
    names = {q for q, _ in questions}
    numbered = [h for h in header if _QUESTION_COLUMN.match(h)]
    found: dict[str, str] = {h: h for h in header if h in names}
    by_norm = {_norm(q): q for q in names}
    for h in numbered:
        title = _QUESTION_COLUMN.match(h).group(2)  # type: ignore[union-attr]
        q = by_norm.get(_norm(title))
        if q and q not in found:
            found[q] = h
    if not found and len(numbered) == len(questions):
        found = {q: h for (q, _), h in zip(questions, numbered)}
    if not found:
        raise UserError(f"{origin}: no column matches a written question "
                        f"({', '.join(q for q, _ in questions)}); name the columns after them, "
                        "or export one column per question from Gradescope")
    return found


def _student(record: dict[str, str]) -> str:
    get = {k.strip().lower(): (v or "").strip() for k, v in record.items() if k}
    name = get.get("name") or " ".join(x for x in (get.get("first name"), get.get("last name"))
                                       if x)
    return get.get("sid") or get.get("email", "").lower() or name


def merge_written(store: GradeStore, path: Path, questions: list[tuple[str, float]]
                  ) -> tuple[int, int, list[str]]:
    """Record the written scores of ``path``: (students, scores recorded, students not in the
    store). The whole file is checked first and recorded in one transaction."""
    if not questions:
        raise UserError(f"{store.homework} has no written questions (manual: true) in its master")
    if not path.is_file():
        raise UserError(f"{path}: no such file; pass the CSV of written scores")
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = list(reader.fieldnames or [])
            records = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UserError(f"{path}: not a readable CSV ({exc}); save it as UTF-8 CSV") from None
    columns = match_columns(header, questions, str(path))
    points = dict(questions)
    known = {p.key for row in store.rows() for p in row.people if p.key}
    entries: list[tuple[str, str, float]] = []
    unknown: list[str] = []
    students = 0
    for line, record in enumerate(records, start=2):
        student = _student(record)
        if not student:
            continue
        cells = {q: (record.get(col) or "").strip() for q, col in columns.items()}
        if not any(cells.values()):
            continue
        students += 1
        if student not in known:
            unknown.append(student)
        for q, cell in cells.items():
            if not cell:
                continue
            try:
                score = float(cell)
            except ValueError:
                raise UserError(f"{path}, line {line}: '{cell}' in column '{columns[q]}' is not "
                                "a number") from None
            if not 0 <= score <= points[q]:
                raise UserError(f"{path}, line {line}: {score:g} for {q} is outside 0..{points[q]:g}"
                                " (its points in the master)")
            entries.append((student, q, score))
    store.record_written_many(entries, path.name)
    return students, len(entries), unknown
