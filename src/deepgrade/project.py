"""Where things live: the repository root, its homeworks and their generated folders."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from deepgrade.errors import UserError


def find_root(start: Path | None = None) -> Path:
    """Return the project root: ``$DEEPGRADE_ROOT`` or the nearest parent with ``assignments/``."""
    env = os.environ.get("DEEPGRADE_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "assignments").is_dir():
            return candidate
    raise UserError(
        f"no assignments/ folder in {here} or its parents; run deepgrade inside the course "
        "repository or set DEEPGRADE_ROOT"
    )


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
    max_restarts: int = 4  # kernel restarts after faults; later cells and tests are not run
    question_test_seconds: dict[str, float] = field(default_factory=dict)

    def for_question(self, question: str) -> float:
        return self.question_test_seconds.get(question, self.test_seconds)


@dataclass(frozen=True)
class Homework:
    """One homework: its master notebook and per-homework grading settings."""

    name: str
    root: Path

    @property
    def folder(self) -> Path:
        return self.root / "assignments" / self.name

    @property
    def master(self) -> Path:
        return self.folder / f"{self.name}.ipynb"

    @property
    def settings(self) -> dict:
        path = self.folder / "homework.toml"
        if not path.exists():
            return {}
        try:
            return tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"{self.name}: {path} is not valid TOML: {exc}") from None

    @property
    def budgets(self) -> Budgets:
        raw = dict(self.settings.get("budgets", {}))
        per_question = raw.pop("questions", {})
        return Budgets(**raw, question_test_seconds=per_question)

    # -- homework.toml keys of the grade store (late policy): read here, checked and applied by
    # deepgrade.grade.gradebook.LatePolicy. [late]: due, grace_minutes, penalty_per_day, policy.
    @property
    def late(self) -> dict:
        """homework.toml's ``[late]`` table ({} when absent)."""
        late = self.settings.get("late", {})
        if not isinstance(late, dict):
            raise UserError(f"{self.name}: homework.toml's 'late' must be a table ([late])")
        return dict(late)
    # -- end of the grade store's keys

    def out(self, kind: str, root: Path | None = None) -> Path:
        """Generated folder ``<root>/<kind>/<hw>`` for kind in student, autograder, solutions."""
        return (root or self.root) / kind / self.name


def list_homeworks(root: Path) -> list[str]:
    """Names of the homeworks that have a master notebook, sorted."""
    folder = root / "assignments"
    return sorted(p.name for p in folder.iterdir() if (p / f"{p.name}.ipynb").is_file())


def resolve_homeworks(root: Path, names: tuple[str, ...] | list[str]) -> list[Homework]:
    """Homework objects for ``names`` (all of them when empty); unknown names are a UserError."""
    known = list_homeworks(root)
    if not names:
        if not known:
            raise UserError(f"no homeworks found under {root / 'assignments'}")
        names = known
    for name in names:
        if name not in known:
            raise UserError(
                f"unknown homework '{name}': expected one of {', '.join(known) or '(none)'}"
            )
    return [Homework(name, root) for name in names]
