"""Each submission's answer to each question, from the cells the grade store keeps.

A code question's answer is the code a student wrote for it wherever it stands: every
top-level definition of a name the template's answer cells define for that question (so
``softmax`` moved into another cell, or two answer cells merged, still counts for its
question), and every other statement of a code cell between the question's prompt (a read-only
markdown cell of the template) and its ``grader.check("name")`` cell (helpers, split cells). A
written question's answer is what ``deepgrade written`` prints for it (``written.answers``).
``notebook`` is all the code of the notebook. The template's code and prompts are what the
comparison subtracts (``template_code``, ``template_text``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

import nbformat

from deepgrade.errors import UserError
from deepgrade.project import Homework
from deepgrade.store import Cell
from deepgrade.validate.variants import defined_names
from deepgrade.written.answers import Template as WrittenTemplate
from deepgrade.written.answers import extract_answers, read_template
from deepgrade.written.questions import WrittenQuestion, written_questions

NOTEBOOK = "notebook"  # the question name of the whole notebook's code
_CHECK = re.compile(r"""^\s*grader\.check\(\s*["']([A-Za-z_]\w*)["']\s*\)\s*$""")


def _norm(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Layout:
    """Where each question's answer is in the student notebook handed out."""

    homework: str
    code_questions: list[str]  # autograded, in the notebook's order
    prompts: dict[str, str]  # normalised read-only prompt text -> its code question
    owners: dict[str, str]  # a name the template's answer cells define -> its question
    template_code: str = ""  # every code cell of the template
    written: list[WrittenQuestion] = field(default_factory=list)
    written_template: WrittenTemplate | None = None
    template_text: dict[str, str] = field(default_factory=dict)  # written question -> prompt

    @property
    def questions(self) -> list[str]:
        """Every question compared, ``notebook`` last."""
        return [*self.code_questions, *(q.name for q in self.written), NOTEBOOK]


def read_layout(hw: Homework) -> Layout:
    """The layout of ``student/<hw>/<hw>.ipynb``; a UserError when it has not been built."""
    path = hw.out("student") / f"{hw.name}.ipynb"
    if not path.is_file():
        raise UserError(f"{hw.name} has no student notebook at {path}: `deepgrade similar` "
                        f"subtracts the template's code; run `deepgrade build {hw.name}` first")
    nb = nbformat.read(path, as_version=4)
    layout = Layout(hw.name, [], {}, {})
    pending: list[str] = []  # answer cells since the last grader.check
    prompt = ""
    for cell in nb.cells:
        locked = cell.metadata.get("editable") is False or cell.metadata.get("deletable") is False
        if cell.cell_type == "markdown" and locked:
            prompt = _norm(cell.source)
        if cell.cell_type != "code":
            continue
        check = _CHECK.match(cell.source.strip())
        if check:
            question = check.group(1)
            layout.code_questions.append(question)
            if prompt:
                layout.prompts[prompt] = question
            for source in pending:
                for name in defined_names(source):
                    layout.owners.setdefault(name, question)
            pending, prompt = [], ""
        elif "otter_answer_cell" in cell.metadata.get("tags", []):
            pending.append(cell.source)
    layout.template_code = "\n\n".join(c.source for c in nb.cells if c.cell_type == "code")
    layout.written = written_questions(hw)
    if layout.written:
        layout.written_template = read_template(hw, layout.written)
        layout.template_text = {q.name: prompt for q, prompt in
                                zip(layout.written, layout.written_template.prompts)}
    return layout


def _statements(source: str) -> list[tuple[set[str], int, int]]:
    """The top-level statements of a code cell as ``(names it defines, first character, one
    past the last)``; the comments and blank lines before a statement go with it. A cell that
    does not parse is one statement that defines nothing."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # deep nesting, NUL bytes
        return [(set(), 0, len(source))]
    offsets = [0]
    for line in source.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    out = []
    start = 0
    for node in tree.body:
        end = offsets[min(node.end_lineno or node.lineno, len(offsets) - 1)]
        out.append((_names(node), start, end))
        start = end
    if out:  # trailing comments go with the last statement
        out[-1] = (out[-1][0], out[-1][1], len(source))
    return out


@dataclass
class Answer:
    """One submission's answer to one question: its text, and for code where each part of it
    comes from (``(cell, first character, one past the last, where it starts in text)``), so
    a cell is tokenized once for its questions and the notebook."""

    text: str
    pieces: list[tuple[int, int, int, int]] = field(default_factory=list)

    def add(self, cell: int, source: str, start: int, end: int, gap: str) -> None:
        if self.text:
            self.text += gap
        self.pieces.append((cell, start, end, len(self.text)))
        self.text += source[start:end]


def _names(node: ast.stmt) -> set[str]:
    """The names a top-level statement defines (as ``defined_names`` reads a cell)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def split_answers(cells: list[Cell], layout: Layout) -> dict[str, Answer]:
    """question -> this submission's answer to it (questions it left empty are absent)."""
    answers: dict[str, Answer] = {}
    everything = Answer("")
    current: str | None = None
    for number, cell in enumerate(cells):
        if cell.cell_type == "markdown" and _norm(cell.source) in layout.prompts:
            current = layout.prompts[_norm(cell.source)]
            continue
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        everything.add(number, cell.source, 0, len(cell.source), "\n\n")
        if _CHECK.match(cell.source.strip()):
            current = None
            continue
        for names, start, end in _statements(cell.source):
            owned = {layout.owners[n] for n in names if n in layout.owners}
            owner = min(owned, key=layout.code_questions.index) if owned else current
            if owner is not None:
                answers.setdefault(owner, Answer("")).add(number, cell.source, start, end, "\n")
    answers[NOTEBOOK] = everything
    if layout.written and layout.written_template is not None:
        # Cells as extract_answers reads them; not validated as a notebook (nbformat's
        # validation costs more than the comparison, and these came from a valid one).
        nb = nbformat.from_dict({"cells": [
            {"cell_type": c.cell_type, "source": c.source, "metadata":
             {"editable": False, "deletable": False} if c.locked else {}} for c in cells]})
        for answer in extract_answers(nb, layout.written, layout.written_template):
            if answer.cells:
                answers[answer.question.name] = Answer(
                    "\n\n".join(c.source for c in answer.cells))
    return {q: a for q, a in answers.items() if a.text.strip()}
