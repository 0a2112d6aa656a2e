"""The autograder bundle as the grader reads it: tests, per-homework settings, support files."""

from __future__ import annotations

import ast
import functools
import json
import textwrap
import types
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deepgrade.errors import UserError
from deepgrade.project import Budgets, Homework

CONFIG_NAME = "deepgrade.json"  # the bundle's settings; written and read only here
HANDED_OUT = "written/student.ipynb"  # the student notebook, for its written questions' cells
HELPERS_FOLDER = "grader/"  # the homework's trusted helper modules, for its hidden tests only


@dataclass(frozen=True)
class Case:
    name: str
    code: str  # doctest-formatted test source (">>> ...")
    hidden: bool
    points: float

    @property
    def label(self) -> str:
        """The case's short label for the student (``f=relu, g=sigmoid``): the string its test
        assigns to ``CASE`` first (``CASE = "the loss falls"``), or "" when it has none."""
        return case_label(self.code)


def case_label(code: str) -> str:
    """The string of a test's first ``CASE = "..."`` line (plain or doctest source), or ""."""
    for line in code.splitlines():
        text = line.strip().removeprefix(">>>").strip()
        name, equals, value = text.partition("=")
        if equals and name.strip() == "CASE":
            try:
                label = ast.literal_eval(value.strip())
            except (ValueError, SyntaxError):
                return ""
            return label if isinstance(label, str) else ""
    return ""


@dataclass(frozen=True)
class Question:
    name: str
    cases: list[Case]
    all_or_nothing: bool = False
    source: str = ""  # the OK-format test file, as the bundle carries it

    @property
    def max_score(self) -> float:
        return float(sum(c.points for c in self.cases))


@dataclass(frozen=True)
class Bundle:
    """Everything the grader needs for one homework, independent of where it was unpacked.

    The bundle's own files (``deepgrade.json``, ``tests/<question>.py``, ``files/...``) are
    written by ``to_files`` and read by ``from_files``; the build adds the Gradescope scripts and
    deepgrade's source around them.
    """

    homework: str
    questions: list[Question]
    budgets: Budgets
    hidden_visibility: str = "visible"
    support_files: dict[str, bytes] = field(default_factory=dict)
    source_digest: str = ""  # Homework.source_digest() of the sources it was built from
    written: dict[str, float] = field(default_factory=dict)  # staff-graded questions: points
    helpers: dict[str, str] = field(default_factory=dict)  # module name -> source
    # What the kernels' zygote imports beyond numpy, torch and the shell (zygote.PRELOADS keys,
    # from the homework's code); None (a bundle older than the key): all of them.
    preload: list[str] | None = None
    # The written questions in the notebook's order, and the student notebook as handed out:
    # the grader tells a student which written answers are still blank (written.answers).
    written_order: list[str] = field(default_factory=list)
    handed_out: bytes = b""

    def helper_modules(self) -> dict[str, types.ModuleType]:
        """The homework's helper modules (``grader/<name>.py`` in the bundle), freshly executed:
        code the hidden tests share, run in the grader only (the kernel never receives it)."""
        return load_helpers(self.helpers)

    def to_files(self) -> dict[str, bytes]:
        """The bundle's own files, keyed by their path inside the bundle."""
        config = {"homework": self.homework, "questions": [q.name for q in self.questions],
                  "budgets": self.budgets.to_dict(), "hidden_visibility": self.hidden_visibility,
                  "source_digest": self.source_digest, "written": self.written}
        if self.preload is not None:
            config["preload"] = self.preload
        if self.written_order:
            config["written_order"] = self.written_order
        files = {CONFIG_NAME: (json.dumps(config, indent=2, sort_keys=True) + "\n").encode()}
        files.update({f"tests/{q.name}.py": q.source.encode() for q in self.questions})
        files.update({f"files/{name}": data for name, data in self.support_files.items()})
        files.update({f"{HELPERS_FOLDER}{name}.py": source.encode()
                      for name, source in self.helpers.items()})
        if self.handed_out:
            files[HANDED_OUT] = self.handed_out
        return files

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
        support = {p.removeprefix("files/"): data for p, data in files.items()
                   if p.startswith("files/") and not p.endswith("/")}
        helpers = {p.removeprefix(HELPERS_FOLDER).removesuffix(".py"): data.decode()
                   for p, data in files.items()
                   if p.startswith(HELPERS_FOLDER) and p.endswith(".py") and p.count("/") == 1}
        return cls(config["homework"], questions, Budgets.from_dict(config["budgets"]),
                   config.get("hidden_visibility", "visible"), support,
                   config.get("source_digest", ""),
                   {str(k): float(v) for k, v in config.get("written", {}).items()}, helpers,
                   preload_setting(config), [str(n) for n in config.get("written_order", [])],
                   files.get(HANDED_OUT, b""))

    @classmethod
    def load(cls, path: Path) -> Bundle:
        """Read a bundle from its zip or from a folder it was unpacked in (Gradescope's source/).

        The path holds the hidden tests: no student kernel of this process may see it."""
        from deepgrade.grade.kernel import sandbox

        sandbox.protect(path)
        if path.is_dir():
            files = {p.relative_to(path).as_posix(): p.read_bytes()
                     for p in path.rglob("*") if p.is_file()}
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                files = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
        else:
            raise UserError(f"{path} is neither an autograder zip nor a folder")
        return cls.from_files(files, str(path))

    @classmethod
    def for_homework(cls, hw: Homework) -> Bundle:
        """The built bundle of ``hw``; a UserError when it is missing or older than its sources
        (grading with tests the instructor has since changed would mislead everyone)."""
        if not hw.bundle.is_file():
            raise UserError(f"{hw.name} has no autograder bundle at {hw.bundle}; run "
                            f"`deepgrade build {hw.name}` first")
        bundle = cls.load(hw.bundle)
        if bundle.source_digest != hw.source_digest():
            raise UserError(f"{hw.name}: the autograder bundle is older than "
                            f"{hw.folder.relative_to(hw.root)}/ (the master, homework.toml or "
                            f"files/ changed since the last build); "
                            f"run `deepgrade build {hw.name}`")
        return bundle


def preload_setting(config: dict) -> list[str] | None:
    """The ``preload`` list of a parsed deepgrade.json (None when absent or not a list of
    names): read on its own by run_autograder before the rest of the bundle is loaded."""
    value = config.get("preload")
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def fault_of_test(exc: BaseException) -> str | None:
    """A staff-facing message when a test case failed by its own fault (it imports something
    the grader lacks, or uses a name nobody defined), None when the failure may be the
    student's. The build refuses such tests; this catches what slips through (a bundle built
    elsewhere), so that the student is never blamed for the test's mistake."""
    if isinstance(exc, ImportError) or isinstance(exc, SyntaxError) and \
            str(getattr(exc, "filename", "")).startswith("<test "):
        return (f"autograder fault, not your answer's: the test itself failed "
                f"({type(exc).__name__}: {' '.join(str(exc).split())[:200]}); course staff must "
                "fix it and regrade")
    if isinstance(exc, NameError):
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is not None and tb.tb_frame.f_code.co_filename.startswith("<test "):
            return (f"autograder fault, not your answer's: the test uses an undefined name "
                    f"({exc}); course staff must fix it and regrade")
    return None


@functools.cache
def _compiled_helper(filename: str, source: str) -> types.CodeType:
    return compile(source, filename, "exec")


def load_helpers(sources: dict[str, str]) -> dict[str, types.ModuleType]:
    """Helper modules ``{name: module}`` executed from their sources (trusted instructor code).
    Compiled once per process; executed afresh for each submission, so that no state a test
    left in a helper module reaches the next submission's tests."""
    modules = {}
    for name, source in sorted(sources.items()):
        module = types.ModuleType(name)
        module.__file__ = f"{HELPERS_FOLDER}{name}.py"
        exec(_compiled_helper(module.__file__, source), module.__dict__)
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
    return Question(spec["name"], cases, bool(spec.get("all_or_nothing", False)), text)


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


def write_support_files(files: dict[str, bytes], folder: Path) -> None:
    """Lay out support files (``relative/posix/name -> bytes``) under ``folder``, creating the
    subfolders a nested name needs: beside the student notebook, the solutions being executed,
    the grading kernel's working folder."""
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
