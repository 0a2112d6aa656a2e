"""Trivial mutants, generated for every question with no author writing them.

For each kind (see ``trivial_runtime``: None, 0, zeros, ones, NaN, random values of the
reference's output shape, the first argument echoed, an untrained model), one notebook is the
reference with every graded name of every question replaced by its trivial counterpart: a
question's tests read only that question's names, so one grading per kind judges all questions
at once. Each trivial answer must score 0 on every question it replaces.

A question's graded names are the functions and classes its solution cells define, plus the
notebook variables its tests read (``corner_model``, ``fashion_history``): those are what a
student hands in for it.
"""

from __future__ import annotations

import ast
import builtins
import doctest
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from deepgrade.grade.runner import GradingReport
from deepgrade.validate.variants import Variant, defined_names, splice
from deepgrade.words import counted

KINDS = ("none", "zero", "zeros", "ones", "nan", "random", "echo", "untrained")
RUNTIME = (Path(__file__).parent / "trivial_runtime.py").read_text()
_QUESTION = re.compile(r"^#\s*BEGIN QUESTION\s*\n(?:.*\n)*?name:\s*(\S+)", re.M)


@dataclass(frozen=True)
class Targets:
    """What a student hands in for one question."""

    question: str
    definitions: tuple[str, ...]  # functions and classes of its solution cells
    variables: tuple[str, ...]  # notebook variables its tests read (trained models, histories)
    trainers: tuple[str, ...]  # its functions that take `epochs`

    @property
    def trains(self) -> bool:
        """A trained-model question: the `untrained` kind applies."""
        return bool(self.variables or self.trainers)

    def judged_by(self, kind: str, code: str) -> bool:
        """Whether a test case's code must fail on the trivial answer ``kind``: every case for
        every kind, except that an untrained model of the right architecture fails only the
        cases that read a trained result (its architecture may earn the points it is worth)."""
        if kind != "untrained":
            return True
        source = "\n".join(e.source for e in doctest.DocTestParser().get_examples(code))
        return bool(_read_only_names(source) & {*self.variables, *self.trainers})

    @property
    def names(self) -> tuple[str, ...]:
        return self.definitions + self.variables


def _raw(cell: nbformat.NotebookNode, marker: str) -> bool:
    return cell.cell_type == "raw" and cell.source.lstrip().startswith(marker)


def _read_only_names(code: str) -> set[str]:
    """Names a test reads without binding them itself."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    loads: set[str] = set()
    stores: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loads if isinstance(node.ctx, ast.Load) else stores).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            stores.add(node.name)
        elif isinstance(node, ast.alias):
            stores.add((node.asname or node.name).split(".")[0])
    return {n for n in loads - stores if not hasattr(builtins, n)}


def question_targets(master: nbformat.NotebookNode) -> list[Targets]:
    """The graded names of each autograded question of an otter-assign master notebook."""
    assigned: set[str] = set()  # top-level variables of the notebook's own code cells
    sections: list[tuple[str, list[str], list[str]]] = []  # question, solution code, test code
    current: tuple[str, list[str], list[str]] | None = None
    in_tests = in_solution = False
    for cell in master.cells:
        if _raw(cell, "# BEGIN QUESTION"):
            match = _QUESTION.match(cell.source.lstrip())
            manual = re.search(r"^manual:\s*true", cell.source, re.M)
            current = None if manual or not match else (match.group(1), [], [])
            if current:
                sections.append(current)
        elif _raw(cell, "# END QUESTION"):
            current = None
        elif _raw(cell, "# BEGIN TESTS"):
            in_tests = True
        elif _raw(cell, "# END TESTS"):
            in_tests = False
        elif _raw(cell, "# BEGIN SOLUTION"):
            in_solution = True
        elif _raw(cell, "# END SOLUTION"):
            in_solution = False
        elif cell.cell_type == "code":
            if in_tests and current:
                current[2].append(cell.source)
            elif in_solution and current:
                current[1].append(cell.source)
            elif not in_tests:
                assigned |= defined_names(cell.source) - _definitions(cell.source)
    targets = []
    for name, solution, tests in sections:
        definitions = sorted(set().union(*map(_definitions, solution)) if solution else set())
        read = set().union(*map(_read_only_names, tests)) if tests else set()
        variables = sorted((read & assigned) - set(definitions))
        trainers = sorted(set().union(*map(_trainers, solution)) if solution else set())
        targets.append(Targets(name, tuple(definitions), tuple(variables), tuple(trainers)))
    return targets


def _definitions(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}


def _trainers(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)
            and any(a.arg == "epochs" for a in n.args.args + n.args.kwonlyargs)}


def kinds_for(target: Targets) -> tuple[str, ...]:
    return KINDS if target.trains else tuple(k for k in KINDS if k != "untrained")


def trivial_cell(kind: str, name: str) -> str:
    """A cell rebinding ``name`` to its trivial counterpart (the runtime defined on first use)."""
    return runtime_cell(f"the trivial answer {kind!r} for {name}", RUNTIME, "_deepgrade_trivial",
                        "<deepgrade trivial answers>", kind, name)


def runtime_cell(comment: str, runtime: str, function: str, filename: str, kind: str,
                 name: str) -> str:
    """A cell that defines ``runtime`` (once: it defines ``function``), then rebinds ``name``
    to ``function(kind, name)``."""
    return (f"# deepgrade validate: {comment}\n"
            f"if {function!r} not in globals():\n"
            f"    exec(compile({runtime!r}, {filename!r}, 'exec'), globals())\n"
            f"{name} = {function}({kind!r}, {name})\n")


def trivial_notebook(reference: nbformat.NotebookNode, kind: str,
                     targets: list[Targets]) -> nbformat.NotebookNode:
    """The reference with every name of ``targets`` replaced by its ``kind`` counterpart, each
    right after the cell that defines it (so later cells, training ones, use the trivial one)."""
    return rebind(reference, [(t.question, name) for t in targets for name in t.names],
                  lambda name: trivial_cell(kind, name), f"trivial answer {kind}")


def rebind(reference: nbformat.NotebookNode, names: list[tuple[str, str]],
           cell: Callable[[str], str], description: str) -> nbformat.NotebookNode:
    """The reference with a cell ``cell(name)`` spliced right after the cell that defines each
    ``(question, name)``."""
    nb = reference
    for question, name in names:
        variant = Variant(Path(f"<{description}>"), "mutant", (question,), description,
                          cell(name))
        nb = splice(nb, variant)
    return nb


# -- the build's early warning: public tests worth points that a trivial answer passes ---------
_CONFIG = re.compile(r'^"""\s*# BEGIN TEST CONFIG\n(.*?)"""\s*# END TEST CONFIG', re.S)


def _test_config(source: str) -> dict[str, str]:
    match = _CONFIG.match(source.lstrip())
    lines = match.group(1).splitlines() if match else []
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines) if v}


def _definition_cells(master: nbformat.NotebookNode) -> list[ast.Module]:
    """The imports and definitions of the master's code outside its tests (no training, no
    plots): what its public tests need, fast to run."""
    kinds = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
    out, in_tests = [], False
    for cell in master.cells:
        if _raw(cell, "# BEGIN TESTS"):
            in_tests = True
        elif _raw(cell, "# END TESTS"):
            in_tests = False
        elif cell.cell_type == "code" and not in_tests:
            try:
                body = ast.parse(cell.source).body
            except SyntaxError:
                continue
            kept: list[ast.stmt] = [n for n in body if isinstance(n, kinds)]
            if kept:
                out.append(ast.Module(body=kept, type_ignores=[]))
    return out


def public_cases(master: nbformat.NotebookNode) -> dict[str, list[tuple[int, float, str]]]:
    """``{question: [(cell number, points, source)]}`` of the public tests worth points."""
    out: dict[str, list[tuple[int, float, str]]] = {}
    question, in_tests = None, False
    for number, cell in enumerate(master.cells, start=1):
        if _raw(cell, "# BEGIN QUESTION"):
            match = _QUESTION.match(cell.source.lstrip())
            question = match.group(1) if match else None
        elif _raw(cell, "# BEGIN TESTS"):
            in_tests = True
        elif _raw(cell, "# END TESTS"):
            in_tests = False
        elif in_tests and question and cell.cell_type == "code":
            config = _test_config(cell.source)
            if config.get("hidden", "false").lower() != "true" and \
                    float(config.get("points", "0") or 0) > 0:
                out.setdefault(question, []).append(
                    (number, float(config["points"]), cell.source))
    return out


def public_trivial_passes(master: nbformat.NotebookNode) -> list[str]:
    """One line per public test worth points that a trivial answer of its question passes,
    found in-process from the master's own definitions (seconds, no kernel): the build warns,
    ``validate`` (which grades every trivial answer for real) fails."""
    import contextlib
    import io
    import warnings

    base: dict = {"__name__": "__deepgrade_public_check__"}
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        for module in _definition_cells(master):
            with contextlib.suppress(Exception):
                exec(compile(module, "<master>", "exec"), base)
        publics = public_cases(master)
        found = []
        for target in question_targets(master):
            for number, points, source in publics.get(target.question, []):
                passing = [k for k in kinds_for(target) if k != "untrained"
                           and _passes(base, target, k, source)]
                if passing:
                    found.append(f"the public test in cell {number} of '{target.question}' is "
                                 f"worth {counted(points, 'point')} and passes on the trivial "
                                 f"answers {', '.join(passing)}: make it worth 0 points or "
                                 "check a value")
    return found


def _passes(base: dict, target: Targets, kind: str, test: str) -> bool:
    ns = dict(base)
    try:
        for name in target.definitions:
            if name in ns:
                exec(trivial_cell(kind, name), ns)
        exec(compile(test, "<public test>", "exec"), ns)
    except Exception:  # an AssertionError, or the test could not use the trivial answer
        return False
    return True


UNFINISHED = "did you finish"  # what every message says of an answer left as the template


def unfinished_problems(template: GradingReport) -> list[str]:
    """The student template is the unfinished answer of every question: each case it fails must
    say first that the answer is unfinished (a check for None before any other, or an
    unfinished class named as such), not report a shape or a value that happens to be wrong.
    One problem per question, naming its cases that do not."""
    problems = []
    for q in template.questions:
        vague = [c for c in q.cases
                 if not c.passed and UNFINISHED not in c.message.split("\n")[0]]
        if vague:
            cases = ", ".join(c.case.label or c.case.name for c in vague)
            problems.append(
                f"the unfinished answer of '{q.name}' (the student template) is not told it is "
                f"unfinished by {cases} (\"{vague[0].message.splitlines()[0][:120]}\"): check "
                "for None first, with \"... returned None: did you finish the function and "
                "`return`?\"")
    return problems
