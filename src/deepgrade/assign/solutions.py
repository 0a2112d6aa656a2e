"""The solutions: executed solution notebook, its HTML rendering, and the written answers."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbformat

from deepgrade.assign.master import MasterSpec
from deepgrade.errors import BuildError
from deepgrade.grade.bundle import write_support_files
from deepgrade.written.questions import PAGES_PER_QUESTION

_MARKER_LINE = re.compile(r"^\s*#\s*(BEGIN|END) SOLUTION\s*$|^\s*#\s*SOLUTION\s*$", re.MULTILINE)


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


def execute(hw: str, nb: nbformat.NotebookNode, public_tests: Path, timeout: int,
            support: dict[str, bytes]) -> None:
    """Run ``nb`` in place in a scratch folder laid out as the student's: the public tests (for
    grader.check) and the support files beside it."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    with tempfile.TemporaryDirectory(prefix=f"deepgrade-{hw}-solutions-") as tmp:
        shutil.copytree(public_tests, Path(tmp) / "tests")
        nbformat.write(nb, Path(tmp) / f"{hw}.ipynb")  # otter.Notebook() looks for it
        write_support_files(support, Path(tmp))
        # Byte-stable outputs: otter's grader.check picks a random emoji for "passed!", so the
        # kernel seeds `random` at start-up (an IPython startup file) and hashes are fixed.
        startup = Path(tmp) / ".ipython" / "profile_default" / "startup"
        startup.mkdir(parents=True)
        (startup / "00-deepgrade-seed.py").write_text("import random\nrandom.seed(0)\n")
        # One thread, as in the grading kernel: same numbers, and no oversubscribed cores.
        env = dict(os.environ, IPYTHONDIR=str(Path(tmp) / ".ipython"), PYTHONHASHSEED="0",
                   MPLBACKEND="module://matplotlib_inline.backend_inline", OMP_NUM_THREADS="1",
                   MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": tmp}}, record_timing=False)
        try:
            # The kernel's own start-up chatter (transport warnings) is not the instructor's business.
            client.execute(stderr=subprocess.DEVNULL, env=env)
        except CellExecutionError as exc:
            first = str(exc).strip().splitlines()[-1][:200] if str(exc).strip() else "error"
            cell = next((i for i, c in enumerate(nb.cells, 1)
                         for o in c.get("outputs", []) if o.get("output_type") == "error"), None)
            raise BuildError(hw, f"the solution notebook fails: {first}", cell=cell,
                             fix="run the master notebook top to bottom and fix that cell") from None


def check_public_tests(hw: str, nb: nbformat.NotebookNode) -> None:
    """Every ``grader.check`` of the executed solutions must pass, as students will run it:
    otter compares doctest output, so a test line that prints something fails there even
    though deepgrade's grader (which only executes it) would pass it."""
    for number, cell in enumerate(nb.cells, start=1):
        match = re.search(r'grader\.check\(["\'](\w+)["\']\)', cell.source) if cell.cell_type == "code" else None
        if not match:
            continue
        text = "".join(str(o.get("data", {}).get("text/plain", o.get("text", "")))
                       for o in cell.get("outputs", []))
        if "passed" not in text or "failed" in text.lower():
            raise BuildError(hw, "a public test fails on the reference solution in otter's "
                             "grader.check", question=match.group(1), cell=number,
                             fix="a test line must not print anything (write `assert ...`, "
                             "or assign the value of a call)")


def render_html(nb: nbformat.NotebookNode) -> str:
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    return body


def written_answers(hw: str, spec: MasterSpec) -> str:
    """Markdown with every written question: prompt, model answer, rubric."""
    per = len(spec.manual) * PAGES_PER_QUESTION
    layout = (f"`deepgrade written {hw}` prints every submission on {per} pages, one per "
              f"question below: on Gradescope, split `written.pdf` every {per} pages and give "
              "each question its page.")
    lines = [f"# {hw}: written questions, model answers and rubrics", "", layout, ""]
    for number, q in enumerate(spec.manual):
        points = f" ({q.points:g} points)" if q.points is not None else ""
        lines += [f"## `{q.name}`{points}", "",
                  f"Page {number * PAGES_PER_QUESTION + 1} of each submission's {per} pages.",
                  "", "### Question", ""]
        lines += [p.replace("<!-- BEGIN QUESTION -->", "").strip() for p in q.prompt] + [""]
        lines += ["### Model answer and rubric", ""]
        lines += [s.strip() for s in q.solution] + [""]
    return "\n".join(lines).rstrip() + "\n"
