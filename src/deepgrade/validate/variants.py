"""Mutants and alternates: a Python file of replacement definitions, spliced into the reference.

A variant file starts with header comments:

    # question: softmax            (mutants: the question it must lose points on)
    # questions: softmax, hvp      (alternates: the questions it re-solves, for the table)
    # mistake: subtracts the global max instead of each row's max   (one line, for people)

The rest is code. It is inserted right after the last cell of the reference that defines any
name it defines, so that later cells (training, plots) use the variant, as a student's would.

``deepgrade validate --details`` shows, per variant, which test cases failed and how many points
it lost (``variant_rows``), so an instructor can judge each test: one that catches every mutant,
one that catches none.
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from deepgrade.assign.master import MasterSpec
from deepgrade.errors import UserError
from deepgrade.grade.gradebook import format_columns
from deepgrade.grade.runner import GradingReport
from deepgrade.words import counted

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


# -- validate --details: what each variant lost, and to which tests --------------------------
HEADER = ("variant", "question", "verdict", "points lost", "failed tests (master cell)")


def variant_rows(spec: MasterSpec, variant: Variant, report: GradingReport
                 ) -> list[tuple[str, str, str, str, str]]:
    """One row per question the variant names (and, for an alternate, per other question it
    lost points on): its verdict, the points lost of the question's total, and the failing
    test cases as ``cell 11 (hidden test 2)``, named as the build names them."""
    rows = []
    for q in report.questions:
        named = q.name in variant.questions
        lost = q.max_score - q.score
        if not named and (variant.kind == "mutant" or lost <= 0):
            continue  # a mutant is judged on its question only
        tests = spec.question(q.name).tests
        failed = [f"cell {tests[i].cell} ({tests[i].label})" if i < len(tests) else c.case.name
                  for i, c in enumerate(q.cases) if not c.passed]
        if variant.kind == "mutant":
            verdict = "caught" if lost > 0 else "NOT CAUGHT"
        else:
            verdict = "passed" if lost <= 0 else "LOSES POINTS"
        rows.append((f"{variant.kind} {variant.name}", q.name, verdict,
                     f"{lost:g} of {counted(q.max_score, 'point')}", ", ".join(failed) or "-"))
    return rows


def format_details(homework: str, rows: list[tuple[str, str, str, str, str]], shown: bool) -> str:
    """The table of ``variant_rows`` when ``shown``, else a line saying how to see it."""
    if not shown:
        return (f"  (deepgrade validate --details {homework}: the tests that caught each mutant "
                "and the points it lost)") if rows else ""
    return "\n" + format_columns([HEADER, *rows], indent="  ")  # a blank line: another table
