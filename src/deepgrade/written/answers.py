"""Finding each written answer in a submitted notebook.

In the student notebook (otter-assign's output) a written question is a locked markdown cell
that starts with ``<!-- BEGIN QUESTION -->`` and holds the prompt, then the answer cell (a
markdown cell tagged ``otter_answer_cell`` reading "_Type your answer here..._"), then a locked
cell starting with ``<!-- END QUESTION -->``. Students may add cells, split their answer, add
code cells or move things; so the answer of a question is every cell between its prompt cell
and the next locked cell of the template (or the next question's prompt). The prompt cell is
the locked cell with the prompt's text (it cannot be edited in Jupyter), else the cell with its
id, else the k-th locked question cell when the notebook still has as many as the template,
else a cell with its exact text (a notebook whose editor dropped the lock). Only the notebook's
structure counts (locked cells, cell ids), never marker text: a student who types ``<!-- END
QUESTION -->`` into an answer keeps that answer, shown as the text it is.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from deepgrade.errors import UserError
from deepgrade.project import Homework
from deepgrade.written.questions import WrittenQuestion, prompt_label

BEGIN = "<!-- BEGIN QUESTION -->"
END = "<!-- END QUESTION -->"


@dataclass
class Answer:
    """What one submission wrote for one written question."""

    question: WrittenQuestion
    cells: list = field(default_factory=list)  # nbformat cells, as submitted, untouched removed
    missing: str = ""  # why there is no answer ("" when there is one)


@dataclass(frozen=True)
class Template:
    """What the student notebook of a homework looks like around its written questions."""

    prompts: list[str]  # normalised text of each written question's (locked) prompt cell
    prompt_ids: list[str]
    placeholders: frozenset[str]  # answer cells as handed out (untouched answers)
    locked: frozenset[str]  # normalised text of every locked cell of the template
    locked_ids: frozenset[str]  # cell ids of every locked cell of the template


def _norm(text: str) -> str:
    return " ".join(text.split())


def _locked(cell) -> bool:
    return cell.metadata.get("editable") is False or cell.metadata.get("deletable") is False


def read_template(hw: Homework, questions: list[WrittenQuestion]) -> Template:
    """The generated ``student/<hw>/<hw>.ipynb``, checked against the master's questions.

    The template is ours, so its markers say where its questions are; a submission's markers
    are text the student can type, so in a submission only the template's cells count.
    """
    path = hw.out("student") / f"{hw.name}.ipynb"
    if not path.is_file():
        raise UserError(f"{hw.name} has no student notebook at {path}; run `deepgrade build "
                        f"{hw.name}` first")
    template = template_of(nbformat.read(path, as_version=4))
    if len(template.prompts) != len(questions):
        raise UserError(f"{path} has {len(template.prompts)} written questions but the master "
                        f"has {len(questions)}; rebuild it with `deepgrade build {hw.name}`")
    return template


def template_of(nb: nbformat.NotebookNode) -> Template:
    """The Template of a student notebook as handed out (one prompt per written question)."""
    prompts = [c for c in nb.cells
               if c.cell_type == "markdown" and _locked(c) and BEGIN in c.source]
    answers = [c for c in nb.cells if "otter_answer_cell" in c.metadata.get("tags", [])
               and c.cell_type == "markdown"]
    locked = [c for c in nb.cells if _locked(c)]
    return Template(
        [_norm(c.source) for c in prompts], [c.get("id", "") for c in prompts],
        frozenset(_norm(c.source) for c in answers) | {""},
        frozenset(_norm(c.source) for c in locked),
        frozenset(c.get("id", "") for c in locked) - {""})


def _is_template_cell(cell, template: Template) -> bool:
    """A locked cell of the template (by its text, or its id): never a student's own cell."""
    return (_locked(cell) and _norm(cell.source) in template.locked) or (
        bool(cell.get("id")) and cell.get("id") in template.locked_ids
        and cell.cell_type == "markdown")


def _prompt_positions(cells: list, template: Template) -> list[int | None]:
    """Index of each question's prompt cell in ``cells`` (None: not found): the locked cell
    with the prompt's text, else the cell with its id, else the k-th locked question cell when
    the notebook still has them all, else a cell with its exact text. Never a cell found by
    marker text a student can type."""
    texts = [_norm(c.source) if _locked(c) else None for c in cells]
    ids = [c.get("id", "") if c.cell_type == "markdown" else "" for c in cells]
    prompts = [i for i, c in enumerate(cells)
               if c.cell_type == "markdown" and _locked(c) and BEGIN in c.source]
    found: list[int | None] = []
    for k, (prompt, cell_id) in enumerate(zip(template.prompts, template.prompt_ids)):
        if prompt in texts:
            found.append(texts.index(prompt))
        elif cell_id and cell_id in ids:
            found.append(ids.index(cell_id))
        elif len(prompts) == len(template.prompts):
            found.append(prompts[k])
        elif prompt in (every := [_norm(c.source) for c in cells]):
            found.append(every.index(prompt))
        else:
            found.append(None)
    return found


def _is_boundary(cell, template: Template, starts: set[int], index: int) -> bool:
    return index in starts or _is_template_cell(cell, template)


def _has_content(cell, template: Template) -> bool:
    if cell.cell_type == "markdown":
        return _norm(cell.source) not in template.placeholders or bool(cell.get("attachments"))
    if cell.cell_type == "code":
        return bool(cell.source.strip())
    return False  # raw cells are not rendered in the notebook either


def extract_answers(nb: nbformat.NotebookNode, questions: list[WrittenQuestion],
                    template: Template) -> list[Answer]:
    """One Answer per written question, in order; a question without an answer says why."""
    cells = list(nb.cells)
    answers = []
    positions = _prompt_positions(cells, template)
    starts = {p for p in positions if p is not None}
    for question, start in zip(questions, positions):
        if start is None:
            answers.append(Answer(question, missing="this question's cell is not in the "
                                  "notebook (it was deleted or the notebook is another one)"))
            continue
        region = []
        for index in range(start + 1, len(cells)):
            if _is_boundary(cells[index], template, starts, index):
                break
            region.append(cells[index])
        kept = [c for c in region if _has_content(c, template)]
        reason = "" if kept else ("the answer cell was left as handed out" if region else
                                  "there is no answer cell under this question")
        answers.append(Answer(question, kept, reason))
    return answers


@functools.lru_cache(maxsize=4)
def handed_out_template(data: bytes) -> Template:
    """The Template of a student notebook's bytes (a bundle's), parsed once per process: a
    batch grades hundreds of submissions against the same one."""
    return template_of(nbformat.reads(data.decode(), as_version=4))


def unanswered(nb: nbformat.NotebookNode, names: list[str], template: Template) -> list[str]:
    """One line for the student per written question (``names``, in the notebook's order) that
    ``nb`` leaves unanswered, as its student notebook (``template``) had it: the grader says so
    at every submission, before the deadline, not when staff find a blank page."""
    if len(template.prompts) != len(names):
        return []  # a bundle whose template does not match its questions says nothing
    questions = [WrittenQuestion(name, 0.0, number, prompt_label([prompt]))
                 for number, (name, prompt) in enumerate(zip(names, template.prompts), 1)]
    lines = []
    for answer in extract_answers(nb, questions, template):
        if answer.missing:
            label = answer.question.label
            shown = f"{label} ({answer.question.name})" if label else answer.question.name
            lines.append(f"written question {shown} has no answer yet: {answer.missing}")
    return lines


def read_answers(path: Path | None, questions: list[WrittenQuestion],
                 template: Template) -> list[Answer]:
    """The answers of one submission; a missing or unreadable notebook gives empty answers."""
    if path is None:
        return [Answer(q, missing="no notebook was submitted") for q in questions]
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - any unreadable file is the same thing to a grader
        return [Answer(q, missing="the submitted notebook could not be read") for q in questions]
    return extract_answers(nb, questions, template)

