"""The instructor's views of the grade store: gradebook, import files for Gradescope and Canvas,
a summary of the class; and the late policy they apply.

Every file here is written from the store (``deepgrade.store``), whole, each time: a regrade of
one submission changes its rows and nothing else. One row per student: the members of a group
submission each get a row with the group's scores.
"""

from __future__ import annotations

import json
import math
import os
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from deepgrade.errors import UserError
from deepgrade.grade.csvsafe import csv_text
from deepgrade.store import GRADED, STATUSES, GradeStore, Person, Row

GRADEBOOK = "gradebook.csv"
GRADESCOPE_CSV = "gradescope-scores.csv"
CANVAS_CSV = "canvas-import.csv"
SUMMARY = "summary.txt"

# Gradescope's grade export ("Download Grades") names these columns; a file in that layout is
# what tools and spreadsheets made for Gradescope grades read (docs/grading.md, "The gradebook
# and the import files").
GRADESCOPE_HEADER = ["Name", "SID", "Email", "Total Score", "Max Points", "Status",
                     "Submission Time", "Lateness (H:M:S)"]
# Canvas's gradebook import (Grades > Import): the export's identity columns, then one column
# per assignment; the second row, "Points Possible", gives the maximum (docs/grading.md, "The
# gradebook and the import files").
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def format_columns(rows: Sequence[Sequence[str]], indent: str = "") -> str:
    """Rows as left-aligned text columns, two spaces apart (the first row is the header)."""
    if not rows:
        return ""
    widths = [max(len(r[i]) for r in rows if i < len(r)) for i in range(max(map(len, rows)))]
    return "\n".join(indent + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()
                     for row in rows)


# -- lateness ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class LatePolicy:
    """When the homework is due and what lateness costs.

    ``policy``: "none" (lateness shown, no penalty) or "per_day" (``penalty_per_day`` of the
    total for each started day past the due date and the grace period, at most all of it).
    Submissions within ``grace_minutes`` of the due date are on time.
    """

    due: str | None = None  # ISO 8601, UTC
    grace_minutes: float = 0.0
    penalty_per_day: float = 0.0  # a fraction of the total, 0.1 = 10 % a day
    policy: str = "none"

    @classmethod
    def from_settings(cls, late: dict[str, Any], origin: str) -> LatePolicy:
        """From homework.toml's ``[late]`` table (or the same keys from the command line)."""
        unknown = set(late) - {"due", "grace_minutes", "penalty_per_day", "policy"}
        if unknown:
            raise UserError(f"{origin}: unknown late-policy key(s) {sorted(unknown)}; expected "
                            "due, grace_minutes, penalty_per_day, policy")
        due = late.get("due")
        policy = str(late.get("policy", "per_day" if late.get("penalty_per_day") else "none"))
        if policy not in ("none", "per_day"):
            raise UserError(f"{origin}: late policy '{policy}' is not one of none, per_day")
        penalty = float(late.get("penalty_per_day", 0.0))
        if not 0 <= penalty <= 1:
            raise UserError(f"{origin}: penalty_per_day {penalty} is not a fraction in [0, 1] "
                            "(0.1 means 10 % a day)")
        return cls(parse_due(due, origin) if due is not None else None,
                   float(late.get("grace_minutes", 0.0)), penalty, policy)

    def overdue(self, submitted_at: str | None) -> timedelta:
        """How long after the due date (grace not counted) it was submitted; 0 if on time."""
        if not self.due or not submitted_at:
            return timedelta(0)
        return max(timedelta(0), datetime.fromisoformat(submitted_at)
                   - datetime.fromisoformat(self.due))

    def lateness(self, submitted_at: str | None) -> tuple[int, float]:
        """(days late, penalty as a fraction of the total) for a submission time."""
        over = self.overdue(submitted_at) - timedelta(minutes=self.grace_minutes)
        days = max(0, math.ceil(over.total_seconds() / 86400))
        penalty = min(1.0, days * self.penalty_per_day) if self.policy == "per_day" else 0.0
        return days, penalty


def parse_due(value: object, origin: str) -> str:
    """A due date (TOML datetime or text such as ``2026-10-08 23:59``, UTC unless an offset is
    given) as ISO 8601 UTC."""
    if isinstance(value, datetime):
        when = value
    else:
        try:
            when = datetime.fromisoformat(str(value).strip().replace(" UTC", "+00:00"))
        except ValueError:
            raise UserError(f"{origin}: due date '{value}' is not a date and time; write it as "
                            "2026-10-08T23:59:00+00:00") from None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


# -- the gradebook -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """One student's row: the submission's scores, their written scores, lateness, total."""

    row: Row
    person: Person
    auto: dict[str, float]  # autograded question -> score (empty when not graded)
    written: dict[str, float]  # written question -> score, those staff entered
    days_late: int
    penalty: float

    @property
    def raw_total(self) -> float:
        return sum(self.auto.values()) + sum(self.written.values())

    @property
    def total(self) -> float:
        return round(self.raw_total * (1 - self.penalty), 4)


def store_questions(store: GradeStore) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """(autograded, written) questions with their points, as the last grading recorded them."""
    auto = [tuple(q) for q in store.meta("questions") or []]
    written = [tuple(q) for q in store.meta("written_questions") or []]
    return auto, written


def store_policy(store: GradeStore) -> LatePolicy:
    return LatePolicy(**(store.meta("late_policy") or {}))


def record_policy(store: GradeStore, policy: LatePolicy) -> None:
    store.set_meta("late_policy", asdict(policy))


def lines(store: GradeStore) -> list[Line]:
    """The gradebook's rows, in submission order, one per member of each submission."""
    policy = store_policy(store)
    written = store.written()
    out = []
    for row in store.rows():
        auto = {q: s for q, (s, _) in row.latest.scores.items()} if row.latest else {}
        days, penalty = policy.lateness(row.submitted_at)
        for person in row.people or [Person()]:
            # A submission without people has its written scores under its own key (see
            # store.written.student_keys): what its PDF pages were headed with.
            key = person.key if row.people else row.key
            out.append(Line(row, person, auto, written.get(key, {}) if key else {},
                            days, penalty))
    return out


def _num(x: float | None) -> str:
    return "" if x is None else f"{round(x, 4):g}"


def gradebook_csv(store: GradeStore) -> str:
    auto, written = store_questions(store)
    max_total = sum(m for _, m in auto) + sum(m for _, m in written)
    rows: list[list[object]] = [[
        "submission", "name", "sid", "email", "status", "notebook", "submitted_at", "days_late",
        "late_penalty", *[q for q, _ in auto], *[q for q, _ in written], "autograded", "written",
        "total", "max_total", "graded_at", "message"]]
    for line in lines(store):
        g = line.row.latest
        graded = g is not None and g.status == GRADED
        rows.append([
            line.row.key, line.person.name, line.person.sid, line.person.email, line.row.status,
            g.notebook if g else "", line.row.submitted_at or "", line.days_late,
            f"{line.penalty:.0%}" if line.penalty else "",
            *[_num(line.auto.get(q)) if g else "" for q, _ in auto],
            *[_num(line.written.get(q)) for q, _ in written],
            _num(sum(line.auto.values())) if g else "", _num(sum(line.written.values())),
            _num(line.total) if g else "", _num(max_total), g.graded_at if g else "",
            "" if graded or g is None else (g.messages[0] if g.messages else "")])
    return csv_text(rows)


def _hms(late: timedelta) -> str:
    seconds = int(late.total_seconds())
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def gradescope_csv(store: GradeStore) -> str:
    """The gradebook in Gradescope's grade-export layout (one row per student)."""
    auto, written = store_questions(store)
    max_total = sum(m for _, m in auto) + sum(m for _, m in written)
    rows: list[list[object]] = [list(GRADESCOPE_HEADER)]
    policy = store_policy(store)
    for line in lines(store):
        if not line.person.key:  # no one to file it under (a folder the metadata did not name)
            continue
        g = line.row.latest
        rows.append([line.person.name, line.person.sid, line.person.email,
                     _num(line.total) if g else "", _num(max_total),
                     "Graded" if g else "Ungraded", line.row.submitted_at or "",
                     _hms(policy.overdue(line.row.submitted_at))])
    return csv_text(rows)


def canvas_csv(store: GradeStore, assignment: str) -> str:
    """The gradebook in the layout Canvas's gradebook import reads: students are matched by SIS
    User ID (the sid) or SIS Login ID (the email); ``ID`` (Canvas's own) is left empty."""
    auto, written = store_questions(store)
    max_total = sum(m for _, m in auto) + sum(m for _, m in written)
    rows: list[list[object]] = [[*CANVAS_HEADER, assignment],
                                ["Points Possible", "", "", "", "", _num(max_total)]]
    for line in lines(store):
        if line.person.key:
            rows.append([line.person.name, "", line.person.sid, line.person.email, "",
                         _num(line.total) if line.row.latest else ""])
    return csv_text(rows)


def summary(store: GradeStore) -> str:
    """Status counts; per question, over the graded submissions only: mean, median, full marks;
    grading time without kernel start-up."""
    rows = list(store.rows())
    if not rows:
        return "(no submissions)"
    auto, _ = store_questions(store)
    counts = {s: sum(r.status == s for r in rows) for s in STATUSES}
    graded = [r.latest for r in rows if r.latest and r.status == GRADED]
    text = [f"{store.homework}: {len(rows)} submissions: "
            + ", ".join(f"{n} {s}" for s, n in counts.items() if n)]
    if graded:
        n = len(graded)
        table = [("question", "mean", "median", "full marks")]
        for q, m in auto:
            scores = [g.scores.get(q, (0.0, m))[0] for g in graded]
            table.append((q, f"{statistics.mean(scores):.2f}/{m:g}",
                          f"{statistics.median(scores):g}", f"{sum(s >= m for s in scores)}/{n}"))
        totals = [g.score for g in graded]
        max_total = sum(m for _, m in auto)
        table.append(("total", f"{statistics.mean(totals):.2f}/{max_total:g}",
                      f"{statistics.median(totals):g}",
                      f"{sum(t >= max_total for t in totals)}/{n}"))
        text.append(f"over the {n} graded:")
        text.append(format_columns(table))
        work = [g.work_seconds for g in graded]
        text.append(f"grading time per submission (cells and tests, without kernel start-up): "
                    f"median {statistics.median(work):.1f} s, max {max(work):.1f} s")
    return "\n".join(text)


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` whole (a temporary file renamed over it): never half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def result_path(out: Path, key: str) -> Path:
    """``out/<key>/results.json``, refused if it would land outside ``out``."""
    path = (out / key / "results.json")
    if path.resolve().parent.parent != out.resolve():
        raise UserError(f"submission key {key!r} would write outside {out}; report this bug")
    return path


def write_results_file(out: Path, key: str, results: dict[str, Any]) -> None:
    path = result_path(out, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, json.dumps(results, indent=2) + "\n")


def write_views(store: GradeStore, out: Path, assignment: str) -> None:
    """Every file of the output folder, from the store: results.json of each graded submission,
    the gradebook, the import files, the summary."""
    for row in store.rows():
        if row.latest is not None:
            write_results_file(out, row.key, row.latest.results)
    write_text(out / GRADEBOOK, gradebook_csv(store))
    write_text(out / GRADESCOPE_CSV, gradescope_csv(store))
    write_text(out / CANVAS_CSV, canvas_csv(store, assignment))
    write_text(out / SUMMARY, summary(store) + "\n")
