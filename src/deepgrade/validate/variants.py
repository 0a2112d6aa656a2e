"""Mutants and alternates: a Python file of replacement definitions, spliced into the reference.

A variant file starts with header comments:

    # question: softmax            (mutants: the question it must lose points on)
    # questions: softmax, hvp      (alternates: the questions it re-solves, for the table)
    # mistake: subtracts the global max instead of each row's max   (one line, for people)

The rest is code. It is inserted right after the last cell of the reference that defines any
name it defines, so that later cells (training, plots) use the variant, as a student's would.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from deepgrade.errors import UserError

_HEADER = re.compile(r"^#\s*(question|questions|mistake|idea)\s*:\s*(.+?)\s*$")


@dataclass(frozen=True)
class Variant:
    path: Path
    kind: str  # "mutant" or "alternate"
    questions: tuple[str, ...]
    description: str
    source: str

    @property
    def name(self) -> str:
        return self.path.stem


def read_variant(path: Path, kind: str) -> Variant:
    text = path.read_text()
    fields: dict[str, str] = {}
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            fields[m.group(1)] = m.group(2)
        elif line.strip() and not line.startswith("#"):
            break
    raw = fields.get("question") or fields.get("questions")
    if not raw:
        raise UserError(f"{path}: the header needs a '# question: <name>' line")
    try:
        ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        raise UserError(f"{path}:{exc.lineno}: syntax error in {kind}: {exc.msg}") from None
    questions = tuple(q.strip() for q in raw.split(",") if q.strip())
    return Variant(path, kind, questions, fields.get("mistake") or fields.get("idea", ""), text)


def read_variants(folder: Path, kind: str) -> list[Variant]:
    if not folder.is_dir():
        return []
    return [read_variant(p, kind) for p in sorted(folder.glob("*.py"))]


def defined_names(source: str) -> set[str]:
    """Top-level names a cell or variant binds (def, class, assignment, import)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def master_names(reference: nbformat.NotebookNode) -> set[str]:
    """Every top-level name a code cell of the reference binds: what a variant can replace."""
    return {n for c in reference.cells if c.cell_type == "code" for n in defined_names(c.source)}


def check_replaces(variant: Variant, names: set[str], shown: str) -> None:
    """Refuse a variant that replaces none of the master's ``names`` (a misspelt ``def``): it
    would grade as the reference, and a mutant would blame the tests. (Names it defines beside
    one it replaces are its helpers.)"""
    defined = defined_names(variant.source)
    if defined & names:
        return
    if not defined:
        raise UserError(f"{shown} defines nothing at the top level; a {variant.kind} is "
                        "definitions (def, class, assignment) that replace the master's")
    extra = sorted(defined)
    guesses = {n: difflib.get_close_matches(n, names, 1, 0.75) for n in extra}
    name = next((n for n in extra if guesses[n]), extra[0])
    hint = f" (did you mean `{guesses[name][0]}`?)" if guesses[name] else ""
    raise UserError(f"{shown} defines `{name}`, which the master does not define{hint}; a "
                    f"{variant.kind} must redefine the master's own names, or it changes nothing")


def splice(reference: nbformat.NotebookNode, variant: Variant) -> nbformat.NotebookNode:
    """A copy of ``reference`` with the variant's code inserted after the cell it replaces."""
    nb = nbformat.from_dict(reference)
    wanted = defined_names(variant.source)
    position = len(nb.cells)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and defined_names(cell.source) & wanted:
            position = i + 1
    cell = nbformat.v4.new_code_cell(variant.source)
    cell.pop("id", None)
    nb.cells.insert(position, cell)
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i:03d}"
    return nb
