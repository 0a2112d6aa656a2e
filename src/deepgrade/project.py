"""Where things live and how a homework is configured: the course root, each homework's paths,
and the typed schema of ``assignments/<hw>/homework.toml``."""

from __future__ import annotations

import datetime
import hashlib
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from deepgrade.errors import UserError


def find_root(start: Path | None = None) -> Path:
    """Return the course root: ``$DEEPGRADE_ROOT`` or the nearest parent with ``assignments/``."""
    env = os.environ.get("DEEPGRADE_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "assignments").is_dir():
            return candidate
    raise UserError(
        f"no assignments/ folder in {here} or its parents; run deepgrade inside a course folder "
        "(one holding assignments/<hw>/<hw>.ipynb) or set DEEPGRADE_ROOT"
    )


# --- homework.toml -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Key:
    """One key of homework.toml: its type, default, a check of its value, and what it means."""

    name: str
    kind: type | tuple[type, ...]
    default: Any
    doc: str
    check: Callable[[Any], str | None] | None = None  # returns what is wrong, or None
    # The value (TOML text, without the key) `deepgrade new` shows, commented, when default is None.
    example: str | None = None

    def problem(self, value: Any) -> str | None:
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        # bool is an int in Python; a budget of `true` seconds is a mistake, not 1 s.
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            wanted = "a number" if set(kinds) == {int, float} else \
                " or ".join(_TYPE_WORDS.get(k, k.__name__) for k in kinds)
            return f"must be {wanted}, not {_TYPE_WORDS.get(type(value), type(value).__name__)} " \
                   f"{value!r}"
        return self.check(value) if self.check else None


_TYPE_WORDS = {int: "an integer", float: "a number", str: "a string", list: "a list",
               bool: "true/false", dict: "a table"}


def _positive(value: float) -> str | None:
    return None if value > 0 else f"must be more than 0, not {value!r}"


def _one_of(*choices: str) -> Callable[[Any], str | None]:
    def check(value: str) -> str | None:
        return None if value in choices else \
            f"must be one of {', '.join(map(repr, choices))}, not {value!r}"
    return check


def _memory(value: int) -> str | None:
    # The limit is the kernel's address space: NumPy, torch and IPython alone map about 1 GB.
    return None if value >= MIN_MEMORY_MB else \
        f"must be at least {MIN_MEMORY_MB} (MB; the kernel imports torch), not {value!r}"


def _strings(value: list) -> str | None:
    return None if all(isinstance(v, str) and v for v in value) else "must be a list of names"


MIN_MEMORY_MB = 1024

# Every key homework.toml may hold, by table ("" is the top level). A new block of settings is
# one more entry here, e.g. "lateness": (Key("due", datetime, None, "...", example=...), ...):
# `Homework.settings["lateness"]` then holds its checked values with defaults filled in, and
# `deepgrade new` writes it, commented; list its keys in docs/authoring.md (a test checks).
SCHEMA: dict[str, tuple[Key, ...]] = {
    "": (
        Key("title", str, "", "the homework's title, shown at the top of written-answers.md"),
        Key("hidden_visibility", str, "visible",
            "Gradescope visibility of questions with hidden tests: \"visible\", "
            "\"after_published\" or \"hidden\"", _one_of("visible", "after_published", "hidden")),
        Key("apt_packages", list, [], "Debian packages the grader needs (installed by the "
            "bundle's setup.sh), e.g. [\"dataset-fashion-mnist\"]", _strings),
    ),
    "budgets": (
        Key("notebook_seconds", (int, float), 600.0, "all cells of a submission together, "
            "seconds", _positive),
        Key("cell_seconds", (int, float), 300.0, "any one cell, seconds (also the per-cell "
            "limit when the build executes the solutions)", _positive),
        Key("test_seconds", (int, float), 60.0, "any one test case, seconds", _positive),
        Key("memory_mb", int, 3072, "address-space limit of the student's kernel, MB", _memory),
        Key("total_seconds", (int, float), 1800.0, "the whole submission, wall clock: its cells, "
            "the replays after faults and its tests", _positive),
        Key("max_restarts", int, 4, "kernel restarts after faults; past them the rest of the "
            "cells or question at hand is not run, and each later question gets one fresh kernel",
            _positive),
    ),
    # The grade store's late policy (deepgrade.grade.gradebook.LatePolicy checks the values).
    "late": (
        Key("due", (str, datetime.datetime), None, "due date and time, ISO 8601 with its "
            "offset (lateness is measured from Gradescope's submission time)",
            example='"2026-10-02T23:59:00-04:00"'),
        Key("grace_minutes", (int, float), None, "minutes after the due date still on time",
            example="15"),
        Key("penalty_per_day", (int, float), None, "fraction of the total taken per day late "
            "(0.1 is 10 %), with policy \"per_day\"", example="0.1"),
        Key("policy", str, None, "\"none\" or \"per_day\" (per_day when penalty_per_day is "
            "given)", _one_of("none", "per_day"), example='"per_day"'),
    ),
}
# Tables whose keys are question names and whose values are a number of seconds.
PER_QUESTION: dict[str, str] = {
    "budgets.questions": "per-question test-case limits, seconds (question = seconds), "
                         "replacing test_seconds for that question's cases",
}


def read_settings(path: Path, origin: str, shown: str | None = None) -> dict[str, dict[str, Any]]:
    """Read ``path`` against SCHEMA: ``{table: {key: value}}`` with every default filled in
    (``""`` is the top level). Unknown keys, wrong types and impossible values raise a
    one-line UserError that names the key and the file."""
    raw: dict[str, Any] = {}
    where = f"{origin}: {shown or path}"
    if path.is_file():
        try:
            raw = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"{where} is not valid TOML ({exc})") from None
    settings: dict[str, dict[str, Any]] = {}
    tables = {t for t in SCHEMA if t} | {t.split(".")[0] for t in PER_QUESTION}
    for table, keys in SCHEMA.items():
        given = raw if not table else raw.get(table, {})
        if not isinstance(given, dict):
            raise UserError(f"{where}: '{table}' must be a table ([{table}])")
        known = {k.name: k for k in keys}
        values: dict[str, Any] = {}
        for name, value in given.items():
            dotted = f"{table}.{name}" if table else name
            if not table and name in tables or dotted in PER_QUESTION:
                continue  # a sub-table, read below
            if name not in known:
                close = [k for k in known if _similar(k, name)]
                hint = f"did you mean '{close[0]}'?" if close else \
                    f"expected one of {', '.join(known)}"
                raise UserError(f"{where}: unknown key '{dotted}'; {hint}")
            problem = known[name].problem(value)
            if problem:
                raise UserError(f"{where}: '{dotted}' {problem}")
            values[name] = float(value) if known[name].kind == (int, float) else value
        settings[table] = {k.name: values.get(k.name, k.default) for k in keys}
    for dotted in PER_QUESTION:
        table, sub = dotted.split(".")
        given = raw.get(table, {}).get(sub, {})
        if not isinstance(given, dict):
            raise UserError(f"{where}: '{dotted}' must be a table ([{dotted}])")
        for question, value in given.items():
            problem = Key(question, (int, float), None, "", _positive).problem(value)
            if problem:
                raise UserError(f"{where}: '{dotted}.{question}' {problem}")
        settings[dotted] = {q: float(v) for q, v in given.items()}
    return settings


def _similar(a: str, b: str) -> bool:
    """A likely misspelling: same letters give or take one, or one is a prefix of the other."""
    import difflib

    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8 or a.startswith(b) or b.startswith(a)


@dataclass(frozen=True)
class Budgets:
    """Time and memory limits for grading one submission of a homework."""

    notebook_seconds: float = 600.0  # the whole notebook, all cells together
    cell_seconds: float = 300.0  # one cell
    test_seconds: float = 60.0  # one test case (all its calls into student code)
    memory_mb: int = 3072  # address-space limit of the student's kernel
    # The whole submission, wall clock: its cells, the replays after faults and its tests. A
    # submission whose every test call kills the kernel, and whose cells are slow only when
    # replayed, would otherwise cost a replay per test case.
    total_seconds: float = 1800.0
    max_restarts: int = 4  # restarts after faults; then one per later question
    question_test_seconds: dict[str, float] = field(default_factory=dict)

    def for_question(self, question: str) -> float:
        return self.question_test_seconds.get(question, self.test_seconds)

    def to_dict(self) -> dict[str, Any]:
        """The form stored in the bundle's deepgrade.json (and read back by from_dict)."""
        return {"notebook_seconds": self.notebook_seconds, "cell_seconds": self.cell_seconds,
                "test_seconds": self.test_seconds, "memory_mb": self.memory_mb,
                "total_seconds": self.total_seconds, "max_restarts": self.max_restarts,
                "question_test_seconds": dict(self.question_test_seconds)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Budgets:
        default = cls()
        return cls(notebook_seconds=float(data["notebook_seconds"]),
                   cell_seconds=float(data["cell_seconds"]),
                   test_seconds=float(data["test_seconds"]), memory_mb=int(data["memory_mb"]),
                   total_seconds=float(data.get("total_seconds", default.total_seconds)),
                   max_restarts=int(data.get("max_restarts", default.max_restarts)),
                   question_test_seconds={q: float(s) for q, s in
                                          data.get("question_test_seconds", {}).items()})

    @classmethod
    def from_settings(cls, settings: dict[str, dict[str, Any]]) -> Budgets:
        """From ``read_settings``' tables ``budgets`` and ``budgets.questions``."""
        return cls.from_dict({**settings["budgets"],
                              "question_test_seconds": settings["budgets.questions"]})


# --- a homework and its paths --------------------------------------------------------------------

@dataclass(frozen=True)
class Homework:
    """One homework: where its sources are, where its generated files go, and its settings.

    ``root`` holds ``assignments/<name>/``; ``out_root`` (default ``root``) holds the generated
    ``student/``, ``autograder/`` and ``solutions/`` folders.
    """

    name: str
    root: Path
    out_root: Path | None = None

    def with_out_root(self, out_root: Path | None) -> Homework:
        return replace(self, out_root=out_root) if out_root else self

    # sources
    @property
    def folder(self) -> Path:
        return self.root / "assignments" / self.name

    @property
    def master(self) -> Path:
        return self.folder / f"{self.name}.ipynb"

    @property
    def settings_file(self) -> Path:
        return self.folder / "homework.toml"

    @property
    def graderlib(self) -> Path:
        """The hidden tests' helper module (grader side only; optional)."""
        return self.folder / "graderlib.py"

    @property
    def support_folder(self) -> Path:
        """Files shipped beside the student notebook and copied into the grading kernel."""
        return self.folder / "files"

    @property
    def mutants(self) -> Path:
        return self.folder / "mutants"

    @property
    def alternates(self) -> Path:
        return self.folder / "alternates"

    @property
    def calibration(self) -> Path:
        return self.folder / "calibration.py"

    # generated
    def out(self, kind: str) -> Path:
        """Generated folder ``<out_root>/<kind>/<hw>``, kind: student, autograder, solutions."""
        return (self.out_root or self.root) / kind / self.name

    @property
    def student_notebook(self) -> Path:
        return self.out("student") / f"{self.name}.ipynb"

    @property
    def bundle(self) -> Path:
        """The Gradescope autograder zip."""
        return self.out("autograder") / f"{self.name}-autograder.zip"

    @property
    def reference(self) -> Path:
        """The executed solution notebook: what validate and calibrate grade as the reference."""
        return self.out("solutions") / f"{self.name}-solutions.ipynb"

    # settings
    @property
    def settings(self) -> dict[str, dict[str, Any]]:
        """homework.toml checked against SCHEMA, defaults filled in (see ``read_settings``)."""
        return read_settings(self.settings_file, self.name,
                             self.settings_file.relative_to(self.root).as_posix())

    @property
    def budgets(self) -> Budgets:
        return Budgets.from_settings(self.settings)

    @property
    def late(self) -> dict[str, Any]:
        """homework.toml's ``[late]`` table, the keys given only (the grade store's late policy,
        checked and applied by deepgrade.grade.gradebook.LatePolicy)."""
        given = {k: v for k, v in self.settings["late"].items() if v is not None}
        if isinstance(given.get("due"), datetime.datetime | datetime.date):
            given["due"] = given["due"].isoformat()  # TOML's own date-time, written unquoted
        return given

    def source_digest(self) -> str:
        """SHA-256 of what a build reads from ``assignments/<hw>/`` (master, homework.toml,
        support files): the bundle records it, and grading refuses a bundle whose digest differs."""
        digest = hashlib.sha256()
        paths = [self.master, self.settings_file, self.graderlib]
        if self.support_folder.is_dir():
            paths += sorted(p for p in self.support_folder.rglob("*") if p.is_file())
        for path in paths:
            if path.is_file():
                digest.update(path.relative_to(self.folder).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()


def list_homeworks(root: Path) -> list[str]:
    """Names of the homeworks that have a master notebook, sorted."""
    folder = root / "assignments"
    return sorted(p.name for p in folder.iterdir() if (p / f"{p.name}.ipynb").is_file())


def resolve_homeworks(root: Path, names: tuple[str, ...] | list[str]) -> list[Homework]:
    """Homework objects for ``names`` (all of them when empty); unknown names are a UserError."""
    known = list_homeworks(root)
    if not names:
        if not known:
            raise UserError(f"no homeworks found under {root / 'assignments'}; "
                            "`deepgrade new HW` writes a first one")
        names = known
    for name in names:
        if name not in known:
            raise UserError(
                f"unknown homework '{name}': expected one of {', '.join(known) or '(none)'}"
            )
    return [Homework(name, root) for name in names]
