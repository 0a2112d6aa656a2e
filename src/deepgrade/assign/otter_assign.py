"""Running otter-assign on a master notebook, into a scratch folder we control."""

from __future__ import annotations

import contextlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from deepgrade.errors import BuildError
from deepgrade.grade.messages import one_line

# Settings deepgrade needs from otter regardless of the master's own config: tests as files
# (the grader reads them), no otter zip (we write our own), no test run (validate does that).
# show_question_points: each question's prompt ends with its points ("_Points:_ 4"), so a
# student sees what a question is worth beside it.
FORCED_CONFIG = {"tests": {"files": True}, "generate": False, "run_tests": False,
                 "export_cell": False, "solutions_pdf": False, "template_pdf": False,
                 "show_question_points": True}


@dataclass(frozen=True)
class AssignOutput:
    student_notebook: Path
    student_tests: Path
    autograder_notebook: Path  # the solutions, with answer placeholders beside them
    autograder_tests: Path


def run_otter_assign(homework: str, nb: nbformat.NotebookNode, scratch: Path) -> AssignOutput:
    """Write a copy of the master with FORCED_CONFIG and run otter-assign on it in ``scratch``."""
    from otter.assign import main as otter_assign

    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.cell_type == "raw" and cell.source.lstrip().upper().startswith(
                "# ASSIGNMENT CONFIG"):
            body = cell.source.split("\n", 1)[1] if "\n" in cell.source else ""
            config = yaml.safe_load(body) or {}
            config.update(FORCED_CONFIG)
            cell.source = "# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=True)
            break
    src = scratch / "master"
    src.mkdir(parents=True)
    master = src / f"{homework}.ipynb"
    nbformat.write(nb, master)
    dist = scratch / "dist"
    sink = io.StringIO()
    logging.getLogger("otter").setLevel(logging.ERROR)
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            otter_assign(str(master), str(dist), no_pdfs=True, no_run_tests=True)
    except Exception as exc:  # otter raises bare exceptions for format problems
        text = one_line(exc) or type(exc).__name__
        raise BuildError(homework, f"otter-assign failed: {text}",
                         fix="check the question and test markers around the cell it names"
                         ) from None
    return AssignOutput(dist / "student" / f"{homework}.ipynb", dist / "student" / "tests",
                        dist / "autograder" / f"{homework}.ipynb", dist / "autograder" / "tests")
