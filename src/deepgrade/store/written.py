"""Merging staff's scores of the written questions into the grade store.

The written answers are graded on Gradescope as a separate assignment (one PDF per class, a page
per question). Its "Download Grades" CSV has the student's ``SID``/``Email``/``Name`` (or
``First Name`` and ``Last Name``) and one column per question titled ``<number>: <title>
(<points> pts)``; ``deepgrade.written.scores`` reads it (the one owner of that format). Empty
cells (not graded yet) are skipped; students are found by sid, then email, then name.
"""

from __future__ import annotations

import csv
from pathlib import Path

from deepgrade.errors import UserError
from deepgrade.store import GradeStore
from deepgrade.written.questions import WrittenQuestion
from deepgrade.written.scores import read_score_rows


def merge_written(store: GradeStore, path: Path, questions: list[WrittenQuestion]
                  ) -> tuple[int, int, list[str]]:
    """Record the written scores of ``path``: (students, scores recorded, students not in the
    store). The whole file is checked first and recorded in one transaction."""
    if not questions:
        raise UserError(f"{store.homework} has no written questions (manual: true) in its master")
    if not path.is_file():
        raise UserError(f"{path}: no such file; pass the CSV of written scores")
    try:
        rows = read_score_rows(path, questions)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UserError(f"{path}: not a readable CSV ({exc}); save it as UTF-8 CSV") from None
    points = {q.name: q.points for q in questions}
    known = {p.key for row in store.rows() for p in row.people if p.key}
    entries: list[tuple[str, str, float]] = []
    unknown: list[str] = []
    students = 0
    for line, (sid, email, name), scores in rows:
        if not scores:
            continue
        candidates = [k for k in (sid, email.lower(), name) if k]
        student = next((k for k in candidates if k in known), candidates[0])
        students += 1
        if student not in known:
            unknown.append(student)
        for q, score in scores.items():
            if not 0 <= score <= points[q]:
                raise UserError(f"{path}, line {line}: {score:g} for {q} is outside "
                                f"0..{points[q]:g} (its points in the master)")
            entries.append((student, q, score))
    store.record_written_many(entries, path.name)
    return students, len(entries), unknown
