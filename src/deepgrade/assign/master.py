"""Reading and checking a master notebook before otter-assign sees it.

Otter's own errors rarely say where the problem is; these checks name the question and the cell
(numbered from 1, as Jupyter users count) and say how to fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml

from deepgrade.errors import BuildError

_BEGIN_CONFIG = re.compile(r'\s*"""\s*#\s*BEGIN\s+TEST\s+CONFIG', re.IGNORECASE)
_END_CONFIG = re.compile(r'\s*"""\s*#\s*END\s+TEST\s+CONFIG', re.IGNORECASE)


@dataclass
class TestCell:
    """One test case as the master writes it (a code cell between BEGIN and END TESTS)."""

    cell: int  # the master's cell number, from 1
    hidden: bool
    points: float | None  # ``points:`` of its TEST CONFIG, None when not given
    code: str  # the test's Python, without its config block
    number: int = 0  # position among its question's test cases, from 1 (as otter orders them)
    # lines of the cell before ``code`` (its config): cell line = code line + offset
    offset: int = 0

    @property
    def label(self) -> str:
        return f"{'hidden' if self.hidden else 'public'} test {self.number}"


@dataclass
class QuestionSpec:
    name: str
    points: Any  # ``points:`` of BEGIN QUESTION as written (a number, or None)
    manual: bool
    first_cell: int
    prompt: list[str] = field(default_factory=list)  # markdown before the solution
    solution: list[str] = field(default_factory=list)  # solution cells' sources
    solution_cells: list[int] = field(default_factory=list)
    tests: list[TestCell] = field(default_factory=list)

    @property
    def public_tests(self) -> list[TestCell]:
        return [t for t in self.tests if not t.hidden]

    @property
    def hidden_tests(self) -> list[TestCell]:
        return [t for t in self.tests if t.hidden]


@dataclass
class MasterSpec:
    questions: list[QuestionSpec]
    code_cells: dict[int, str] = field(default_factory=dict)  # cell number -> source

    def question(self, name: str) -> QuestionSpec:
        return next(q for q in self.questions if q.name == name)

    def cell_of(self, source: str) -> int | None:
        """The master's number of the code cell that became ``source`` in a generated notebook
        (solution markers and blank lines aside), or None."""
        wanted = _comparable(source)
        return next((n for n, s in self.code_cells.items() if _comparable(s) == wanted), None)

    @property
    def autograded(self) -> list[QuestionSpec]:
        return [q for q in self.questions if not q.manual]

    @property
    def manual(self) -> list[QuestionSpec]:
        return [q for q in self.questions if q.manual]


def _comparable(source: str) -> list[str]:
    return [line.rstrip() for line in source.splitlines()
            if line.strip() and not re.match(r"\s*#\s*(BEGIN |END )?SOLUTION\s*$", line)]


def parse_test_cell(homework: str, question: str, number: int, source: str) -> TestCell:
    """Config and code of a test cell, read as otter-assign reads it."""
    lines = source.splitlines() or [""]
    hidden = lines[0].lstrip().startswith("#") and bool(
        re.search(r"\bhidden\b", lines[0], re.IGNORECASE))
    config: dict = {}
    start = 1 if hidden else 0
    if _BEGIN_CONFIG.match(lines[0]):
        end = next((i for i, line in enumerate(lines) if i and _END_CONFIG.match(line)), None)
        if end is None:
            raise BuildError(homework, "a TEST CONFIG block is never closed", question=question,
                             cell=number, fix='end it with a line \'""" # END TEST CONFIG\'')
        config = _yaml(homework, "\n".join(lines[1:end]), number, question)
        unknown = sorted(set(config) - {"hidden", "points", "success_message", "failure_message"})
        if unknown:
            raise BuildError(homework, f"unknown TEST CONFIG key '{unknown[0]}'", question=question,
                             cell=number, fix="use hidden, points, success_message or "
                             "failure_message")
        start = end + 1
    hidden = config.get("hidden", hidden)
    points = config.get("points")
    if not isinstance(hidden, bool):
        raise BuildError(homework, f"'hidden: {hidden}' must be true or false", question=question,
                         cell=number)
    if points is not None and (isinstance(points, bool) or not isinstance(points, (int, float))
                               or points < 0):
        raise BuildError(homework, f"'points: {points}' must be a number of points, 0 or more",
                         question=question, cell=number)
    return TestCell(number, hidden, None if points is None else float(points),
                    "\n".join(lines[start:]), offset=start)


def read_master(homework: str, path: Path) -> nbformat.NotebookNode:
    if not path.is_file():
        raise BuildError(homework, f"master notebook {path} not found")
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several types for a bad file
        raise BuildError(homework, f"{path} is not a readable notebook ({exc})",
                         fix="open it in Jupyter and save it again") from None


def _marker(cell) -> tuple[str, str] | None:
    """``("BEGIN", "QUESTION")``-style marker of a raw cell, and its YAML body."""
    if cell.cell_type != "raw":
        return None
    lines = cell.source.strip().splitlines()
    if not lines:
        return None
    head = lines[0].strip().lstrip("#").strip().upper()
    for word in ("ASSIGNMENT CONFIG", "BEGIN QUESTION", "END QUESTION", "BEGIN SOLUTION",
                 "END SOLUTION", "BEGIN TESTS", "END TESTS", "BEGIN PROMPT", "END PROMPT"):
        if head == word:
            return word, "\n".join(lines[1:])
    return None


def _yaml(homework: str, text: str, cell: int, question: str | None = None) -> dict:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise BuildError(homework, f"invalid YAML ({str(exc).splitlines()[0]})", question=question,
                         cell=cell, fix="fix the indentation or quoting of that raw cell") from None
    if not isinstance(data, dict):
        raise BuildError(homework, "expected 'key: value' lines", question=question, cell=cell)
    return data


def check_master(homework: str, nb: nbformat.NotebookNode) -> MasterSpec:
    """Validate the otter-assign structure and collect the questions; BuildError on a mistake."""
    config: dict | None = None
    questions: list[QuestionSpec] = []
    current: QuestionSpec | None = None
    block: str | None = None  # SOLUTION, TESTS or PROMPT inside a question
    code_cells: dict[int, str] = {}
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code":
            code_cells[number] = cell.source
        marker = _marker(cell)
        name = current.name if current else None
        if marker is None:
            if current and block == "TESTS":
                if cell.cell_type != "code":
                    raise BuildError(homework, "only code cells may stand between BEGIN TESTS and "
                                     "END TESTS", question=name, cell=number)
                if cell.get("outputs"):
                    raise BuildError(homework, "a test cell has saved outputs", question=name,
                                     cell=number, fix="write tests as assert statements and clear "
                                     "the cell's output")
                test = parse_test_cell(homework, current.name, number, cell.source)
                test.number = len(current.tests) + 1
                current.tests.append(test)
            elif current and block == "SOLUTION":
                current.solution.append(cell.source)
                current.solution_cells.append(number)
            elif current and cell.cell_type == "markdown":
                current.prompt.append(cell.source)
            continue
        word, body = marker
        if word == "ASSIGNMENT CONFIG":
            if config is not None:
                raise BuildError(homework, "a second ASSIGNMENT CONFIG cell", cell=number)
            config = _yaml(homework, body, number)
        elif word == "BEGIN QUESTION":
            if current is not None:
                raise BuildError(homework, "BEGIN QUESTION inside another question",
                                 question=name, cell=number,
                                 fix=f"add an END QUESTION raw cell before cell {number}")
            data = _yaml(homework, body, number)
            qname = data.get("name")
            if not isinstance(qname, str) or not qname.isidentifier():
                raise BuildError(homework, "a question needs 'name: <identifier>'", cell=number)
            if any(q.name == qname for q in questions):
                raise BuildError(homework, "duplicate question name", question=qname, cell=number,
                                 fix="give every question its own name")
            current = QuestionSpec(qname, data.get("points"), bool(data.get("manual")), number)
        elif word == "END QUESTION":
            if current is None:
                raise BuildError(homework, "END QUESTION without BEGIN QUESTION", cell=number)
            if block is not None:
                raise BuildError(homework, f"END QUESTION while {block} is still open",
                                 question=name, cell=number,
                                 fix=f"add an END {block} raw cell before it")
            if not current.manual and not current.tests:
                raise BuildError(homework, "an autograded question has no tests", question=name,
                                 cell=current.first_cell, fix="add a BEGIN TESTS block, or "
                                 "mark it 'manual: true'")
            if not current.manual and not current.solution:
                raise BuildError(homework, "an autograded question has no solution", question=name,
                                 cell=current.first_cell)
            questions.append(current)
            current = None
        elif word.startswith("BEGIN "):
            kind = word.split()[1]
            if current is None:
                raise BuildError(homework, f"{word} outside a question", cell=number,
                                 fix="put it between BEGIN QUESTION and END QUESTION")
            if block is not None:
                raise BuildError(homework, f"{word} while {block} is still open", question=name,
                                 cell=number, fix=f"add an END {block} raw cell before it")
            block = kind
        else:  # END SOLUTION / TESTS / PROMPT
            kind = word.split()[1]
            if block != kind:
                raise BuildError(homework, f"{word} without a matching BEGIN {kind}", question=name,
                                 cell=number)
            block = None
    if config is None:
        raise BuildError(homework, "no ASSIGNMENT CONFIG raw cell", cell=1,
                         fix="start the notebook with a raw cell '# ASSIGNMENT CONFIG'")
    if current is not None:
        raise BuildError(homework, "BEGIN QUESTION is never closed", question=current.name,
                         cell=current.first_cell, fix="add an END QUESTION raw cell")
    if config.get("name") != homework:
        raise BuildError(homework, f"ASSIGNMENT CONFIG has name {config.get('name')!r}", cell=1,
                         fix=f"set 'name: {homework}' (the folder's name)")
    return MasterSpec(questions, code_cells)
