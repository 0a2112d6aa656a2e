"""The solutions: executed solution notebook, its HTML rendering, and the written answers."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbformat

from deepgrade.assign.deterministic import REPRODUCIBLE_KERNELS
from deepgrade.assign.master import MasterSpec
from deepgrade.errors import BuildError
from deepgrade.grade.bundle import Bundle, write_support_files
from deepgrade.project import Homework
from deepgrade.words import counted
from deepgrade.written.questions import PAGES_PER_QUESTION

_MARKER_LINE = re.compile(r"^\s*#\s*(BEGIN|END) SOLUTION\s*$|^\s*#\s*SOLUTION\s*$", re.MULTILINE)
FEEDBACK = "deepgrade_feedback"  # templates/deepgrade_feedback.py: short grader.check messages
_FEEDBACK_LINE = (f"import {FEEDBACK}  "
                  "# shorter grader.check messages (the file beside this notebook)")


def student_files() -> dict[str, bytes]:
    """Files deepgrade puts beside every student notebook (and the executed solutions)."""
    from importlib import resources

    source = resources.files("deepgrade.assign") / "templates" / f"{FEEDBACK}.py"
    return {f"{FEEDBACK}.py": source.read_bytes()}


def add_feedback(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Import the feedback shim right after otter's ``grader = otter.Notebook(...)`` line."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "otter.Notebook(" in cell.source:
            lines = cell.source.splitlines()
            at = next(i for i, line in enumerate(lines) if "otter.Notebook(" in line)
            cell.source = "\n".join([*lines[:at + 1], _FEEDBACK_LINE, *lines[at + 1:]])
            break
    return nb


def solution_notebook(autograder_nb: Path) -> nbformat.NotebookNode:
    """Otter's autograder notebook without answer placeholders or solution markers."""
    nb = nbformat.read(autograder_nb, as_version=4)
    cells = []
    for cell in nb.cells:
        if "otter_answer_cell" in cell.metadata.get("tags", []):
            continue  # the placeholder that the student version shows instead of the answer
        if cell.cell_type == "code":
            cell.source = _MARKER_LINE.sub("", cell.source).replace("\n\n\n", "\n\n").strip("\n")
        cells.append(cell)
    nb.cells = cells
    return nb


def execute(homework: str, nb: nbformat.NotebookNode, public_tests: Path, timeout: int,
            support: dict[str, bytes], spec: MasterSpec) -> None:
    """Run ``nb`` in place in a scratch folder laid out as the student's: the public tests (for
    grader.check) and the support files beside it."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    with tempfile.TemporaryDirectory(prefix=f"deepgrade-{homework}-solutions-") as tmp:
        shutil.copytree(public_tests, Path(tmp) / "tests")
        nbformat.write(nb, Path(tmp) / f"{homework}.ipynb")  # otter.Notebook() looks for it
        write_support_files(support, Path(tmp))
        # Byte-stable outputs: otter's grader.check picks a random emoji for "passed!", so the
        # kernel seeds `random` at start-up (an IPython startup file) and hashes are fixed.
        startup = Path(tmp) / ".ipython" / "profile_default" / "startup"
        startup.mkdir(parents=True)
        (startup / "00-deepgrade-seed.py").write_text("import random\nrandom.seed(0)\n")
        env = dict(os.environ, IPYTHONDIR=str(Path(tmp) / ".ipython"), PYTHONHASHSEED="0",
                   MPLBACKEND="module://matplotlib_inline.backend_inline")
        env.update(REPRODUCIBLE_KERNELS)  # the same numbers on any x86-64 machine
        env.pop("OPENBLAS_L2_SIZE", None)  # a host's tuning of its own core type
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": tmp}}, record_timing=False)
        try:
            # The kernel's own start-up chatter (transport warnings) is not the instructor's
            # business.
            client.execute(stderr=subprocess.DEVNULL, env=env)
        except CellExecutionError as exc:
            failed = next(((c, o) for c in nb.cells for o in c.get("outputs", [])
                           if o.get("output_type") == "error"), None)
            first = (f"{failed[1].get('ename')}: {failed[1].get('evalue')}" if failed else
                     str(exc).strip().splitlines()[-1] if str(exc).strip() else "error")
            first = " ".join(first.split())[:200]
            raise BuildError(homework, f"the solution notebook fails: {first}",
                             cell=spec.cell_of(failed[0].source) if failed else None,
                             fix="run the master notebook top to bottom and fix that cell"
                             ) from None


_CASE_RESULT = re.compile(r"^\s*(\w+) - (\d+) result:\n(.*?)(?=^\s*\w+ - \d+ result:|\Z)",
                          re.MULTILINE | re.DOTALL)


def check_public_tests(homework: str, nb: nbformat.NotebookNode, spec: MasterSpec) -> None:
    """Every ``grader.check`` of the executed solutions must pass, as students will run it:
    otter compares doctest output, so a test line that prints something fails there even
    though deepgrade's grader (which only executes it) would pass it."""
    for cell in nb.cells:
        match = (re.search(r'grader\.check\(["\'](\w+)["\']\)', cell.source)
                 if cell.cell_type == "code" else None)
        if not match:
            continue
        text = "".join(str(o.get("data", {}).get("text/plain", o.get("text", "")))
                       for o in cell.get("outputs", []))
        if "passed" in text and "failed" not in text.lower():
            continue
        question = spec.question(match.group(1))
        case, why = None, " ".join(text.split())[:200] or "no output"
        for m in _CASE_RESULT.finditer(text):
            if "failed" in m.group(3).lower():
                case = question.public_tests[int(m.group(2)) - 1]
                why = " ".join(m.group(3).replace("❌ Test case failed", "").split())[:200]
                break
        raise BuildError(homework, "the reference solution fails this public test in "
                         f"grader.check: {why}", question=question.name,
                         cell=case.cell if case else None,
                         case=case.label if case else None,
                         fix="fix the test or the solution (a test line that prints a value "
                         "fails there: write `assert ...`)")


def check_reference_grade(hw: Homework, bundle: Bundle, spec: MasterSpec) -> None:
    """Grade ``hw.reference`` with the trusted grader; BuildError on the first lost point."""
    from deepgrade.grade.runner import grade_submission

    report = grade_submission(bundle, hw.reference)
    graded = nbformat.read(hw.reference, as_version=4)
    for cell in report.cells:
        if not cell.ok:
            source = graded.cells[cell.index - 1].source
            raise BuildError(hw.name, f"the solution cell fails in the grading kernel: "
                             f"{cell.message}", cell=spec.cell_of(source),
                             fix="the grader runs it without network, with the homework.toml "
                             "budgets; make it fit them")
    for result in report.questions:
        question = spec.question(result.name)
        for number, case in enumerate(result.cases, start=1):
            if not case.passed:
                test = question.tests[number - 1]
                raise BuildError(hw.name, f"the reference solution fails this test in the "
                                 f"grader: {case.message}", question=result.name,
                                 cell=test.cell, case=test.label,
                                 fix="fix the test (or the solution), then build again")
    if report.notes and report.score < report.max_score:
        raise BuildError(hw.name, f"grading the reference: {report.notes[0]}")


def render_html(nb: nbformat.NotebookNode) -> str:
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    return body


def heading(homework: str, title: str) -> str:
    """``hw1 (Calculus)``; a title that names the homework already (``hw5: attention``, as
    `deepgrade new` writes it) stands alone."""
    if not title:
        return homework
    return title if title.split(":")[0].strip().lower() == homework.lower() else \
        f"{homework} ({title})"


def written_answers(homework: str, spec: MasterSpec, title: str = "") -> str:
    """Markdown with every written question: prompt, model answer, rubric."""
    per = len(spec.manual) * PAGES_PER_QUESTION
    pages = counted(per, "page")
    layout = (f"`deepgrade written {homework}` prints every submission on {pages}, one per "
              f"question below: on Gradescope, split `written.pdf` every {pages} and give "
              "each question its page.")
    lines = [f"# {heading(homework, title)} — written questions, model answers and rubrics", "",
             layout, ""]
    for number, q in enumerate(spec.manual):
        points = f" ({counted(q.points, 'point')})" if q.points is not None else ""
        lines += [f"## `{q.name}`{points}", "",
                  f"Page {number * PAGES_PER_QUESTION + 1} of each submission's {pages}.",
                  "", "### Question", ""]
        lines += [p.replace("<!-- BEGIN QUESTION -->", "").strip() for p in q.prompt] + [""]
        lines += ["### Model answer and rubric", ""]
        lines += [s.strip() for s in q.solution] + [""]
    return "\n".join(lines).rstrip() + "\n"
