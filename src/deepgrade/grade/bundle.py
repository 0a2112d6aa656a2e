"""The autograder bundle as the grader reads it: tests, per-homework settings, support files."""

from __future__ import annotations

import ast
import json
import textwrap
import types
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deepgrade.errors import UserError
from deepgrade.project import Budgets

CONFIG_NAME = "deepgrade.json"
HELPERS_FOLDER = "grader/"  # the homework's trusted helper modules, for its hidden tests only


@dataclass(frozen=True)
class Case:
    name: str
    code: str  # doctest-formatted test source (">>> ...")
    hidden: bool
    points: float


@dataclass(frozen=True)
class Question:
    name: str
    cases: list[Case]
    all_or_nothing: bool = False

    @property
    def max_score(self) -> float:
        return float(sum(c.points for c in self.cases))


@dataclass(frozen=True)
class Bundle:
    """Everything the grader needs for one homework, independent of where it was unpacked."""

    homework: str
    questions: list[Question]
    budgets: Budgets
    hidden_visibility: str = "visible"
    support_files: dict[str, bytes] = field(default_factory=dict)
    helpers: dict[str, str] = field(default_factory=dict)  # module name -> source

    def helper_modules(self) -> dict[str, types.ModuleType]:
        """The homework's helper modules (``grader/<name>.py`` in the bundle), freshly executed:
        code the hidden tests share, run in the grader only (the kernel never receives it)."""
        return load_helpers(self.helpers)

    @classmethod
    def from_files(cls, files: dict[str, bytes], origin: str) -> Bundle:
        """Build from the bundle's files, keyed by their path inside the bundle."""
        if CONFIG_NAME not in files:
            raise UserError(f"{origin} is not a deepgrade autograder bundle (no {CONFIG_NAME}); "
                            "rebuild it with `deepgrade build`")
        config = json.loads(files[CONFIG_NAME])
        questions = []
        for name in config["questions"]:
            path = f"tests/{name}.py"
            if path not in files:
                raise UserError(f"{origin}: the bundle has no {path}; rebuild it")
            questions.append(parse_test_file(files[path].decode(), path))
        budgets = Budgets(**{k: v for k, v in config.get("budgets", {}).items()
                             if k != "question_test_seconds"},
                          question_test_seconds=config.get("budgets", {}).get(
                              "question_test_seconds", {}))
        support = {p.removeprefix("files/"): data for p, data in files.items()
                   if p.startswith("files/") and not p.endswith("/")}
        helpers = {p.removeprefix(HELPERS_FOLDER).removesuffix(".py"): data.decode()
                   for p, data in files.items()
                   if p.startswith(HELPERS_FOLDER) and p.endswith(".py") and p.count("/") == 1}
        return cls(config["homework"], questions, budgets,
                   config.get("hidden_visibility", "visible"), support, helpers)

    @classmethod
    def load(cls, path: Path) -> Bundle:
        """Read a bundle from its zip or from a folder it was unpacked in (Gradescope's source/)."""
        if path.is_dir():
            files = {p.relative_to(path).as_posix(): p.read_bytes()
                     for p in path.rglob("*") if p.is_file()}
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                files = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
        else:
            raise UserError(f"{path} is neither an autograder zip nor a folder")
        return cls.from_files(files, str(path))


def load_helpers(sources: dict[str, str]) -> dict[str, types.ModuleType]:
    """Helper modules ``{name: module}`` executed from their sources (trusted instructor code)."""
    modules = {}
    for name, source in sorted(sources.items()):
        module = types.ModuleType(name)
        module.__file__ = f"{HELPERS_FOLDER}{name}.py"
        exec(compile(source, module.__file__, "exec"), module.__dict__)
        modules[name] = module
    return modules


def parse_test_file(text: str, path: str) -> Question:
    """Parse an OK-format test file (``test = {...}``) without executing it."""
    tree = ast.parse(text, filename=path)
    spec: dict[str, Any] | None = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "test" for t in node.targets):
            spec = ast.literal_eval(node.value)
    if spec is None:
        raise UserError(f"{path} has no `test = {{...}}` definition")
    suites = spec.get("suites", [])
    if len(suites) != 1 or suites[0].get("type", "doctest") != "doctest":
        raise UserError(f"{path}: expected one doctest suite")
    raw = suites[0]["cases"]
    points = resolve_points(spec.get("points"), [c.get("points") for c in raw])
    cases = [Case(c.get("name", f"{spec['name']} - {i + 1}"), textwrap.dedent(c["code"]),
                  bool(c.get("hidden", True)), p) for i, (c, p) in enumerate(zip(raw, points))]
    return Question(spec["name"], cases, bool(spec.get("all_or_nothing", False)))


def resolve_points(total: float | list | None, given: list[float | None]) -> list[float]:
    """Points per case, by otter's rules (otter.test_files.abstract_test): cases without points
    share what the question's total leaves; with no total, unspecified cases share 1 point
    only when nothing was specified, and are worth 0 otherwise."""
    if isinstance(total, list):
        if len(total) != len(given):
            raise UserError("a test's points list does not match its number of cases")
        return [float(p) for p in total]
    fixed = sum(p for p in given if p is not None)
    free = sum(1 for p in given if p is None)
    if total is not None:
        if fixed > total:
            raise UserError("more points in a test's cases than the question is worth")
        share = (total - fixed) / free if free else 0.0
    elif fixed == 0:
        share = 1 / free if free else 0.0
    else:
        share = 0.0
    return [float(p) if p is not None else share for p in given]
