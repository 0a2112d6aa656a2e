"""Merging staff's scores of the written questions into the grade store.

The written answers are graded on Gradescope as a separate assignment (one PDF per class, a page
per question). Its "Download Grades" CSV has the student's ``SID``/``Email``/``Name`` (or
``First Name`` and ``Last Name``) and one column per question titled ``<number>: <title>
(<points> pts)``; ``deepgrade.written.scores`` reads it (the one owner of that format). Empty
cells (not graded yet) are skipped; students are found by sid, then email, then name, and a
submission without metadata by its submission name (what its PDF pages are headed with).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from deepgrade.errors import UserError
from deepgrade.grade.messages import one_line
from deepgrade.store import GradeStore
from deepgrade.written.questions import WrittenQuestion
from deepgrade.written.scores import read_score_rows


@dataclass(frozen=True)
class Merged:
    """What a merge recorded: scores of students in the gradebook, and scores kept for
    students without a submission here (recorded too, for when they have one)."""

    students: int
    scores: int
    unknown: list[str]  # how the file names each student without a submission here
    unknown_scores: int


def student_keys(store: GradeStore) -> dict[str, str]:
    """Every way a scores row can name a student of the store -> the key scores are filed under.

    A person is found by sid, email or name (``Person.key``). A submission without people (a
    loose notebook, a folder the export's metadata does not name) is found by its submission
    key, which is what its PDF pages print in place of a name.
    """
    keys: dict[str, str] = {}
    for row in store.rows():
        if not row.people:
            keys.setdefault(row.key, row.key)
        for person in row.people:
            for way in (person.sid, person.email.lower(), person.name):
                if way and person.key:
                    keys.setdefault(way, person.key)
    return keys


def merge_written(store: GradeStore, path: Path, questions: list[WrittenQuestion]) -> Merged:
    """Record the written scores of ``path``. The whole file is checked first (scores, one row
    per student) and recorded in one transaction: a refused file records nothing."""
    if not questions:
        raise UserError(f"{store.homework} has no written questions (manual: true) in its master")
    if not path.is_file():
        raise UserError(f"{path}: no such file; pass the CSV of written scores")
    try:
        rows = read_score_rows(path, questions)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UserError(f"{path}: not a readable CSV ({exc}); save it as UTF-8 CSV") from None
    points = {q.name: q.points for q in questions}
    known = student_keys(store)
    entries: list[tuple[str, str, float]] = []
    seen: dict[str, int] = {}
    matched: set[str] = set()
    unknown: list[str] = []
    for line, (sid, email, name), scores in rows:
        if not scores:
            continue
        candidates = [k for k in (sid, email.lower(), name) if k]
        found = next((k for k in candidates if k in known), None)
        student = known[found] if found else candidates[0]
        if student in seen:
            raise UserError(f"{path}, line {line}: student {one_line(student, 80)!r} is also on "
                            f"line {seen[student]}; keep one row per student")
        seen[student] = line
        (matched.add if found else lambda s: unknown.append(one_line(s, 80)))(student)
        for q, score in scores.items():
            if not 0 <= score <= points[q]:  # the parts of a question add up to more
                raise UserError(f"{path}, line {line}: {score:g} for {q} is outside "
                                f"0..{points[q]:g} (its points in the master)")
            entries.append((student, q, score))
    if unknown and not matched:
        raise UserError(f"{path}: none of its {len(unknown)} student(s) has a submission in "
                        f"this gradebook (matched by SID, email, name, or the submission's name "
                        f"for notebooks without metadata); nothing was recorded. Is it the "
                        f"scores file of another class or homework?")
    store.record_written_many(entries, path.name)
    in_book = sum(1 for s, _, _ in entries if s in matched)
    return Merged(len(matched), in_book, unknown, len(entries) - in_book)
