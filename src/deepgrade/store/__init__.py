"""The grade store: one SQLite database per output folder, the record every view is written from.

``deepgrade grade --out DIR`` records into ``DIR/grades.sqlite``: the submissions (identity: the
upload or export folder they came from, the people the export names, and the cells of the
notebook graded, which ``deepgrade similar`` compares), every grading of each
(when, the bundle's hash, deepgrade's version, status, per-question scores, messages, the
Gradescope results), and written scores entered by staff. ``results.json`` files,
``gradebook.csv``, ``summary.txt``, the import files and the report are views of it, so grading
one student again changes that student's row and nothing else.

Why SQLite: it is in the standard library, one file, and its transactions are atomic and durable;
each grading is committed on its own, so a run killed half-way keeps every grading it finished
and a rerun (``--resume``) grades only what is missing. Only the grading command's main process
writes (graders in a pool return their reports to it), so there is one writer at a time.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from deepgrade.errors import UserError

FILENAME = "grades.sqlite"
SCHEMA_VERSION = "1"

# Why a submission has the score it has; the gradebook's and the report's status column.
GRADED = "graded"
NO_NOTEBOOK = "no notebook"
NOT_A_NOTEBOOK = "not a notebook"
KERNEL_FAILED = "kernel failed"
GRADER_FAULT = "grader fault"
TEMPLATE = "untouched template"
WRONG_HOMEWORK = "wrong homework"
PENDING = "not graded yet"  # recorded before grading; only left by a run that was killed
STATUSES = (GRADED, NO_NOTEBOOK, NOT_A_NOTEBOOK, KERNEL_FAILED, GRADER_FAULT, TEMPLATE,
            WRONG_HOMEWORK, PENDING)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    key TEXT PRIMARY KEY,          -- its folder under the output folder
    upload TEXT NOT NULL,          -- the upload it came from (file or export folder), as given
    submitted_at TEXT              -- ISO 8601 UTC, from the export's :created_at:
);
CREATE TABLE IF NOT EXISTS people (
    submission TEXT NOT NULL REFERENCES submissions(key) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL DEFAULT '', sid TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (submission, position)
);
CREATE TABLE IF NOT EXISTS gradings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    submission TEXT NOT NULL REFERENCES submissions(key) ON DELETE CASCADE,
    graded_at TEXT NOT NULL, bundle_hash TEXT NOT NULL, version TEXT NOT NULL,
    status TEXT NOT NULL, notebook TEXT NOT NULL DEFAULT '',
    score REAL NOT NULL, max_score REAL NOT NULL,
    seconds REAL NOT NULL,        -- the whole grading
    work_seconds REAL NOT NULL,   -- the student's cells and the tests (no kernel start/stop)
    messages TEXT NOT NULL,       -- JSON list of the notes shown to the student
    results TEXT NOT NULL         -- Gradescope's results.json, as written
);
CREATE INDEX IF NOT EXISTS gradings_by_submission ON gradings (submission, id);
CREATE TABLE IF NOT EXISTS scores (
    grading INTEGER NOT NULL REFERENCES gradings(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, question TEXT NOT NULL, score REAL NOT NULL,
    max_score REAL NOT NULL,
    PRIMARY KEY (grading, question)
);
CREATE TABLE IF NOT EXISTS written (
    student TEXT NOT NULL,        -- the student's sid, else email, else name
    question TEXT NOT NULL, score REAL NOT NULL,
    recorded_at TEXT NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (student, question)
);
CREATE TABLE IF NOT EXISTS notebooks (
    submission TEXT PRIMARY KEY REFERENCES submissions(key) ON DELETE CASCADE,
    cells TEXT NOT NULL           -- JSON [[cell_type, source, locked], ...] of its notebook
);
"""


@dataclass(frozen=True)
class Person:
    name: str = ""
    sid: str = ""
    email: str = ""

    @property
    def key(self) -> str:
        """How written scores find the student: sid, else email, else name."""
        return self.sid or self.email.lower() or self.name


class Cell(NamedTuple):
    """One cell of a submitted notebook as the store keeps it."""

    cell_type: str  # "code", "markdown" or "raw"
    source: str
    locked: bool  # the template made it read-only (``editable`` or ``deletable`` false)


@dataclass(frozen=True)
class Grading:
    """One grading of one submission, as recorded."""

    id: int
    submission: str
    graded_at: str
    bundle_hash: str
    version: str
    status: str
    notebook: str
    score: float
    max_score: float
    seconds: float
    work_seconds: float
    messages: list[str]
    scores: dict[str, tuple[float, float]]  # question -> (score, max), in bundle order
    results: dict[str, Any] = field(repr=False, default_factory=dict)


@dataclass(frozen=True)
class Row:
    """A submission with its people, its latest grading and the one before (for changes)."""

    key: str
    upload: str
    submitted_at: str | None
    people: list[Person]
    latest: Grading | None
    previous: Grading | None

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else PENDING


def natural_key(text: str) -> list:
    """Sort key that orders the numbers inside names by value."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", text) if part]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class GradeStore:
    """The grade store of one output folder; open with ``GradeStore.open(folder, homework)``."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path, self.conn = path, conn

    @classmethod
    def open(cls, folder: Path, homework: str | None = None, create: bool = False) -> GradeStore:
        """The store in ``folder``; refuses a store of another homework (``homework`` given)."""
        path = folder / FILENAME
        if not path.is_file() and not create:
            raise UserError(f"{folder} has no grade store ({FILENAME}); grade into it first with "
                            f"`deepgrade grade HW SUBMISSIONS --out {folder}`")
        folder.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, timeout=30)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise UserError(f"{path} is not a readable grade store ({exc}); move it away and "
                            "grade again") from None
        store = cls(path, conn)
        with conn:
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)",
                         (json.dumps(SCHEMA_VERSION),))
        schema = store.meta("schema")
        if schema != SCHEMA_VERSION:
            conn.close()
            raise UserError(f"{path} was written by another version of deepgrade (store schema "
                            f"{schema}, this one reads {SCHEMA_VERSION}); grade into a new "
                            "folder")
        recorded = store.meta("homework")
        if homework is not None:
            if recorded is None:
                store.set_meta("homework", homework)
            elif recorded != homework:
                conn.close()
                raise UserError(f"{folder} holds {recorded} grades, not {homework}; use "
                                f"`deepgrade ... {recorded}` with it, or another folder for "
                                f"{homework}")
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> GradeStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- meta: homework, question list, written questions, late policy ---------------------------
    def meta(self, key: str) -> Any:
        """A recorded setting (JSON): homework, questions, written_questions, late_policy."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_meta(self, key: str, value: Any) -> None:
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    @property
    def homework(self) -> str:
        return self.meta("homework") or "?"

    # -- submissions and gradings ----------------------------------------------------------------
    def add_submissions(self, found: list[tuple[str, str, list[Person], str | None]]) -> None:
        """Record (or refresh) submissions ``(key, upload, people, submitted_at)`` and their
        people, in one transaction; their gradings are kept."""
        with self.conn:
            for key, upload, people, submitted_at in found:
                self.conn.execute(
                    "INSERT INTO submissions VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                    "upload = excluded.upload, submitted_at = excluded.submitted_at",
                    (key, upload, submitted_at))
                self.conn.execute("DELETE FROM people WHERE submission = ?", (key,))
                self.conn.executemany(
                    "INSERT INTO people VALUES (?, ?, ?, ?, ?)",
                    [(key, i, p.name, p.sid, p.email) for i, p in enumerate(people)])

    def add_submission(self, key: str, upload: str, people: list[Person],
                       submitted_at: str | None) -> None:
        self.add_submissions([(key, upload, people, submitted_at)])

    def record(self, key: str, *, status: str, bundle_hash: str, version: str, notebook: str,
               scores: list[tuple[str, float, float]], seconds: float, work_seconds: float,
               messages: list[str], results: dict[str, Any]) -> Grading:
        """Add one grading of submission ``key`` in one transaction; returns it as stored."""
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO gradings (submission, graded_at, bundle_hash, version, status, "
                "notebook, score, max_score, seconds, work_seconds, messages, results) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, now(), bundle_hash, version, status, notebook,
                 sum(s for _, s, _ in scores), sum(m for _, _, m in scores), seconds,
                 work_seconds, json.dumps(messages), json.dumps(results)))
            grading = int(cur.lastrowid or 0)
            self.conn.executemany("INSERT INTO scores VALUES (?, ?, ?, ?, ?)",
                                  [(grading, i, q, s, m) for i, (q, s, m) in enumerate(scores)])
        found = self._gradings("WHERE g.id = ?", (grading,))
        return found[0]

    def latest(self, key: str) -> Grading | None:
        found = self._gradings("WHERE g.submission = ? ORDER BY g.id DESC LIMIT 1", (key,))
        return found[0] if found else None

    def _gradings(self, where: str, args: tuple) -> list[Grading]:
        rows = self.conn.execute(
            "SELECT g.id, g.submission, g.graded_at, g.bundle_hash, g.version, g.status, "
            f"g.notebook, g.score, g.max_score, g.seconds, g.work_seconds, g.messages, g.results "
            f"FROM gradings g {where}", args).fetchall()
        out = []
        for r in rows:
            scores = {q: (s, m) for q, s, m in self.conn.execute(
                "SELECT question, score, max_score FROM scores WHERE grading = ? "
                "ORDER BY position", (r[0],))}
            fields = [*r[:11], json.loads(r[11]), scores, json.loads(r[12])]  # in Grading's order
            out.append(Grading(*fields))
        return out

    def rows(self) -> Iterator[Row]:
        """Every submission with its latest and previous grading, in key order (``s_2`` before
        ``s_10``)."""
        found = self.conn.execute("SELECT key, upload, submitted_at FROM submissions").fetchall()
        for key, upload, submitted_at in sorted(found, key=lambda r: natural_key(r[0])):
            people = [Person(*p) for p in self.conn.execute(
                "SELECT name, sid, email FROM people WHERE submission = ? ORDER BY position",
                (key,))]
            last_two = self._gradings("WHERE g.submission = ? ORDER BY g.id DESC LIMIT 2", (key,))
            yield Row(key, upload, submitted_at, people, last_two[0] if last_two else None,
                      last_two[1] if len(last_two) > 1 else None)

    # -- the cells of each submission's notebook, for ``deepgrade similar`` ---------------------
    def record_cells(self, entries: list[tuple[str, list[Cell]]]) -> None:
        """Keep ``(key, cells)`` of each submission's notebook, replacing what an earlier run
        kept, in one transaction; outputs and other metadata are not kept."""
        with self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO notebooks VALUES (?, ?)",
                                  [(key, json.dumps(cells)) for key, cells in entries])

    def cells(self) -> dict[str, list[Cell]]:
        """submission key -> its notebook's cells, for the submissions that have them (one
        graded before deepgrade kept cells has none until it is graded or resumed again)."""
        return {key: [Cell(str(t), str(s), bool(locked)) for t, s, locked in json.loads(text)]
                for key, text in self.conn.execute("SELECT submission, cells FROM notebooks")}

    # -- written questions, scored by staff ------------------------------------------------------
    def record_written_many(self, entries: list[tuple[str, str, float]], source: str) -> None:
        """All of a CSV's scores in one transaction: a file is merged whole or not at all."""
        stamp = now()
        with self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO written VALUES (?, ?, ?, ?, ?)",
                                  [(s, q, v, stamp, source) for s, q, v in entries])

    def written(self) -> dict[str, dict[str, float]]:
        """student key -> question -> score."""
        out: dict[str, dict[str, float]] = {}
        for student, question, score in self.conn.execute(
                "SELECT student, question, score FROM written"):
            out.setdefault(student, {})[question] = score
        return out
