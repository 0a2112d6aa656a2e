"""Static checks of a master, before anything runs: what each test may import, names it uses that
nobody defines, points that disagree, solution markers left open, written questions without
their model answer or rubric, settings for questions that do not exist.

Each check raises a BuildError naming the homework, the question, the master's cell and the test
case, with a fix. (What only running can show, a test that fails on the reference, is checked by
the build after it executed the solutions.)
"""

from __future__ import annotations

import ast
import builtins
import re
import sys
from functools import cache
from pathlib import PurePosixPath

from deepgrade.assign.master import MasterSpec, QuestionSpec, TestCell
from deepgrade.errors import BuildError
from deepgrade.grade.runner import TRUSTED_NAMES
from deepgrade.words import counted

# What a public test may import: it runs in the student's kernel, through otter's grader.check,
# where the course promises NumPy and torch (and Python's standard library), nothing else.
STUDENT_PACKAGES = frozenset({"numpy", "torch"})


@cache
def grader_modules() -> frozenset[str]:
    """Top-level modules of the packages the bundle pins (its requirements), plus deepgrade:
    what a hidden test may import, since the grader on Gradescope has exactly these."""
    from importlib import metadata

    from deepgrade.assign.autograder import canonical, lock_pins

    pinned = set(lock_pins())
    modules = {m for m, dists in metadata.packages_distributions().items()
               if any(canonical(d) in pinned for d in dists)}
    return frozenset(modules | {"deepgrade", "numpy", "torch"})


def support_modules(support: dict[str, bytes]) -> frozenset[str]:
    """Modules importable from the homework's support files (``files/x.py``, ``files/pkg/``)."""
    names = set()
    for path in map(PurePosixPath, support):
        if len(path.parts) > 1:
            names.add(path.parts[0])
        elif path.suffix == ".py":
            names.add(path.stem)
    return frozenset(names)


def bound_names(tree: ast.AST) -> set[str]:
    """Every name the code binds anywhere (assignments, defs, imports, arguments, loop and
    comprehension variables...): generous on purpose, so that the check below only flags names
    that are certainly bound nowhere."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.MatchAs | ast.MatchStar) and node.name:
            names.add(node.name)
    return names


def _parse_cell(source: str) -> ast.AST | None:
    """A notebook cell as Python, IPython magics and shell lines left out; None if it is not."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def check_code_cells(homework: str, spec: MasterSpec) -> None:
    """Every code cell of the master that is not a test must be Python (magics aside)."""
    tests = {t.cell for q in spec.questions for t in q.tests}
    owner = {n: q.name for q in spec.questions for n in q.solution_cells}
    for number, source in spec.code_cells.items():
        if number in tests or source.lstrip().startswith("%%"):
            continue  # tests are checked below; a cell magic makes the cell another language
        lines = ["" if line.lstrip().startswith(("%", "!")) else line
                 for line in source.splitlines()]
        try:
            ast.parse("\n".join(lines))
        except SyntaxError as exc:
            raise BuildError(homework, f"the cell is not valid Python (line {exc.lineno}: "
                             f"{exc.msg})", question=owner.get(number), cell=number,
                             fix="fix it in Jupyter and run the master top to bottom") from None


def master_names(spec: MasterSpec) -> set[str] | None:
    """Names bound by the master's code cells other than tests (the student's names); None when a
    cell cannot be parsed (then the unknown-name check is skipped rather than guessed)."""
    tests = {t.cell for q in spec.questions for t in q.tests}
    names: set[str] = set()
    for number, source in spec.code_cells.items():
        if number in tests:
            continue
        tree = _parse_cell(source)
        if tree is None:
            return None
        names |= bound_names(tree)
    return names


def check_master_code(homework: str, spec: MasterSpec, support: dict[str, bytes],
                      questions_with_budgets: list[str],
                      helpers: frozenset[str] = frozenset()) -> None:
    """Every static check, in the master's order; the first mistake raises a BuildError.
    ``helpers`` are the homework's grader-side modules (graderlib) hidden tests may import."""
    check_code_cells(homework, spec)
    student = master_names(spec)
    modules = support_modules(support)
    for q in spec.questions:
        if q.manual:
            check_written(homework, q)
            continue
        check_solution_markers(homework, q, spec)
        check_points(homework, q)
        for test in q.tests:
            check_test(homework, q, test, student, modules, helpers)
    autograded = [q.name for q in spec.autograded]
    for name in questions_with_budgets:
        if name not in autograded:
            raise BuildError(homework, f"homework.toml: '[budgets.questions] {name}' names no "
                             "autograded question", fix=f"use one of {', '.join(autograded)}")


def check_solution_markers(homework: str, q: QuestionSpec, spec: MasterSpec) -> None:
    for number in q.solution_cells:
        source = spec.code_cells.get(number)
        if source is None:
            continue
        begins = len(re.findall(r"^\s*#\s*BEGIN SOLUTION\s*$", source, re.MULTILINE))
        ends = len(re.findall(r"^\s*#\s*END SOLUTION\s*$", source, re.MULTILINE))
        if begins != ends:
            missing = "# END SOLUTION" if begins > ends else "# BEGIN SOLUTION"
            raise BuildError(homework, f"{begins} '# BEGIN SOLUTION' and {ends} '# END SOLUTION' "
                             "lines in a solution cell", question=q.name, cell=number,
                             fix=f"add the missing '{missing}' line")


def check_points(homework: str, q: QuestionSpec) -> None:
    """The question's ``points`` and its cases' points must agree: otter grades out of the sum
    of the cases, silently, when they do not."""
    given = [t.points for t in q.tests]
    fixed = sum(p for p in given if p is not None)
    free = [t for t in q.tests if t.points is None]
    total = q.points
    if total is not None and (isinstance(total, bool) or not isinstance(total, (int, float))):
        raise BuildError(homework, f"'points: {total}' must be a number", question=q.name,
                         cell=q.first_cell, fix="write the question's total, e.g. 'points: 4'")
    if total is None:
        if free and fixed:
            raise BuildError(homework, f"some test cases have points and {len(free)} have none "
                             "(worth 0 then)", question=q.name, cell=free[0].cell,
                             case=free[0].label,
                             fix="give every case points, or give the question 'points: N'")
        return
    if fixed > total + 1e-9:
        raise BuildError(homework, f"the test cases are worth {counted(fixed, 'point')} but "
                         f"the question only {total:g}", question=q.name, cell=q.first_cell,
                         fix="make the cases' points add up to the question's 'points'")
    if not free and abs(fixed - total) > 1e-9:
        raise BuildError(homework, f"the test cases add up to {counted(fixed, 'point')} but "
                         f"the question is worth {total:g} (it would be graded out of {fixed:g})",
                         question=q.name, cell=q.first_cell,
                         fix="make the cases' points add up to the question's 'points'")
    if free and total - fixed <= 1e-9:
        raise BuildError(homework, f"{len(free)} test case(s) without points are left 0 of the "
                         f"question's {total:g}", question=q.name, cell=free[0].cell,
                         case=free[0].label, fix="give them points or lower the others'")


def check_test(homework: str, q: QuestionSpec, test: TestCell, student: set[str] | None,
               support: frozenset[str], helpers: frozenset[str] = frozenset()) -> None:
    try:
        tree = ast.parse(test.code)
    except SyntaxError as exc:
        line = (exc.lineno or 1) + test.offset
        raise BuildError(homework, f"the test is not valid Python (line {line}: {exc.msg})",
                         question=q.name, cell=test.cell, case=test.label) from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots = [node.module.split(".")[0]]
        else:
            continue
        for root in roots:
            _check_import(homework, q, test, root, support, helpers)
    if not test.hidden:
        _check_silent(homework, q, test, tree)
    if student is None:
        return
    known = student | bound_names(tree) | set(dir(builtins))
    if test.hidden:
        known |= TRUSTED_NAMES
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in known:
            where = "the master" if not test.hidden else "the master or the grader (" + \
                ", ".join(sorted(TRUSTED_NAMES - {"numpy"})) + ")"
            line = node.lineno + test.offset
            raise BuildError(homework, f"the test uses '{node.id}' (line {line}), which neither "
                             f"the test nor {where} defines", question=q.name, cell=test.cell,
                             case=test.label, fix="fix the spelling, or define or import it")


def _check_silent(homework: str, q: QuestionSpec, test: TestCell, tree: ast.Module) -> None:
    """A public test's lines must print nothing: grader.check compares what each line prints
    with what the test expects (nothing), so `x == 1` or `print(x)` fails in the student's
    kernel while the grader, which only executes the test, would pass it."""
    for node in tree.body:
        value = node.value if isinstance(node, ast.Expr) else None
        prints = isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and \
            value.func.id == "print"
        quiet = isinstance(value, (ast.Call, ast.Await)) or isinstance(value, ast.Constant) and \
            value.value in (None, Ellipsis)  # a call may return None; the rest is shown
        shown = value is not None and not quiet
        if prints or shown:
            line = node.lineno + test.offset
            raise BuildError(homework, f"line {line} of a public test prints a value, so it "
                             "fails in the student's grader.check", question=q.name,
                             cell=test.cell, case=test.label,
                             fix="write `assert ...` (or assign the value)")


def _check_import(homework: str, q: QuestionSpec, test: TestCell, module: str,
                  support: frozenset[str], helpers: frozenset[str] = frozenset()) -> None:
    # Support files sit beside the student's notebook, not in the grader: public tests only.
    if module in sys.stdlib_module_names or not test.hidden and module in support:
        return
    if not test.hidden and module not in STUDENT_PACKAGES:
        who = "students do not have it" if module != "deepgrade" else \
            "students do not have deepgrade"
        raise BuildError(homework, f"a public test imports '{module}': it runs in the student's "
                         f"kernel, and {who}", question=q.name, cell=test.cell, case=test.label,
                         fix="use only numpy, torch, the standard library and the homework's "
                         "files/, or make the test hidden")
    if test.hidden and module not in grader_modules() | helpers:
        raise BuildError(homework, f"a hidden test imports '{module}', which the grader does not "
                         "have (it is not in deepgrade's pinned requirements)", question=q.name,
                         cell=test.cell, case=test.label, fix="use numpy, torch, math or "
                         "deepgrade.checks")


def check_written(homework: str, q: QuestionSpec) -> None:
    """A written (manual) question needs a model answer and a rubric in its SOLUTION block:
    they become solutions/<homework>/written-answers.md, from which the TAs grade."""
    text = "\n".join(q.solution).strip()
    fix = ("put the model answer, then a paragraph starting '**Rubric (N points).**', in a "
           "markdown cell between BEGIN SOLUTION and END SOLUTION")
    if not text:
        raise BuildError(homework, "a written question has no model answer and rubric",
                         question=q.name, cell=q.first_cell, fix=fix)
    match = re.search(r"rubric", text, re.IGNORECASE)
    if match is None:
        raise BuildError(homework, "a written question has no rubric", question=q.name,
                         cell=q.solution_cells[0], fix=fix)
    answer = re.sub(r"[*_#\s]|model answer\.?", "", text[:match.start()], flags=re.IGNORECASE)
    if not answer:
        raise BuildError(homework, "a written question has a rubric but no model answer",
                         question=q.name, cell=q.solution_cells[0], fix=fix)
