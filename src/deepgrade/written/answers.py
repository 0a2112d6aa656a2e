"""Finding each written answer in a submitted notebook.

In the student notebook (otter-assign's output) a written question is a locked markdown cell
that starts with ``<!-- BEGIN QUESTION -->`` and holds the prompt, then the answer cell (a
markdown cell tagged ``otter_answer_cell`` reading "_Type your answer here..._"), then a locked
cell starting with ``<!-- END QUESTION -->``. Students may add cells, split their answer, add
code cells or move things; so the answer of a question is every cell between its prompt cell
and the next question marker or locked cell of the template. The prompt cell is recognised by
its text (it cannot be edited in Jupyter), else by its cell id, else as the k-th
``BEGIN QUESTION`` marker when the notebook still has as many as the template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from deepgrade.errors import UserError
from deepgrade.project import Homework
from deepgrade.written.questions import WrittenQuestion

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

    prompts: list[str]  # normalised prompt text per written question, in order
    prompt_ids: list[str]
    placeholders: frozenset[str]  # answer cells as handed out (untouched answers)
    locked: frozenset[str]  # normalised text of every locked cell of the template


def _norm(text: str) -> str:
    return " ".join(text.replace(END, " ").replace(BEGIN, " ").split())


def _locked(cell) -> bool:
    return cell.metadata.get("editable") is False or cell.metadata.get("deletable") is False


def read_template(hw: Homework, questions: list[WrittenQuestion]) -> Template:
    """The generated ``student/<hw>/<hw>.ipynb``, checked against the master's questions."""
    path = hw.out("student") / f"{hw.name}.ipynb"
    if not path.is_file():
        raise UserError(f"{hw.name} has no student notebook at {path}; run `deepgrade build "
                        f"{hw.name}` first")
    nb = nbformat.read(path, as_version=4)
    prompts = [c for c in nb.cells if c.cell_type == "markdown" and BEGIN in c.source]
    if len(prompts) != len(questions):
        raise UserError(f"{path} has {len(prompts)} written questions but the master has "
                        f"{len(questions)}; rebuild it with `deepgrade build {hw.name}`")
    answers = [c for c in nb.cells if "otter_answer_cell" in c.metadata.get("tags", [])
               and c.cell_type == "markdown"]
    return Template(
        [_norm(c.source.split(BEGIN, 1)[1]) for c in prompts],
        [c.get("id", "") for c in prompts],
        frozenset(_norm(c.source) for c in answers) | {""},
        frozenset(_norm(c.source) for c in nb.cells if _locked(c)))


def _prompt_positions(cells: list, template: Template) -> list[int | None]:
    """Index of each question's prompt cell in ``cells`` (None: not found)."""
    texts = [_norm(c.source.split(BEGIN, 1)[1]) if BEGIN in c.source else _norm(c.source)
             for c in cells]
    ids = [c.get("id", "") for c in cells]
    markers = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and BEGIN in c.source]
    found: list[int | None] = []
    for k, (prompt, cell_id) in enumerate(zip(template.prompts, template.prompt_ids)):
        if prompt in texts:
            found.append(texts.index(prompt))
        elif cell_id and cell_id in ids and cells[ids.index(cell_id)].cell_type == "markdown":
            found.append(ids.index(cell_id))
        elif len(markers) == len(template.prompts):
            found.append(markers[k])
        else:
            found.append(None)
    return found


def _is_boundary(cell, template: Template) -> bool:
    return (BEGIN in cell.source or END in cell.source
            or (_locked(cell) and _norm(cell.source) in template.locked))


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
    for question, start in zip(questions, _prompt_positions(cells, template)):
        if start is None:
            answers.append(Answer(question, missing="this question's cell is not in the "
                                  "notebook (it was deleted or the notebook is another one)"))
            continue
        region = []
        for cell in cells[start + 1:]:
            if _is_boundary(cell, template):
                break
            region.append(cell)
        kept = [c for c in region if _has_content(c, template)]
        reason = "" if kept else ("the answer cell was left as handed out" if region else
                                  "there is no answer cell under this question")
        answers.append(Answer(question, kept, reason))
    return answers


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

