"""Reading a submitted notebook into the code cells the grader will run, or a clear error."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

# Otter's student-side lines: they import otter and run public tests in the student's kernel,
# which the grader does not need (it runs every test itself, outside that kernel).
# deepgrade_feedback (shipped beside the student notebook) only shortens grader.check's messages.
_OTTER_LINE = re.compile(
    r"^(\s*)(import otter\b.*|grader\s*=\s*otter\.Notebook\(.*|grader\.(check|check_all|export)\(.*"
    r"|import deepgrade_feedback\b.*)$"
)


class NotebookError(Exception):
    """The submission cannot be read as a notebook; the message says why, for the student."""


@dataclass(frozen=True)
class ParsedNotebook:
    """A submitted notebook as the grader runs it (``submissions.Submission`` is the file and
    who sent it)."""

    cells: list[tuple[int, str]]  # (1-based cell number, source) of the code cells
    warnings: list[str]  # notes for the student (format converted, another homework...)
    notebook: nbformat.NotebookNode | None = None  # the whole notebook, as nbformat 4


def strip_otter(source: str) -> str:
    """Replace otter's check/init lines by ``pass`` (same indentation, so blocks stay valid)."""
    return "\n".join(
        _OTTER_LINE.sub(lambda m: f"{m.group(1)}pass", line) for line in source.splitlines()
    )


def assignment_name(metadata: Any) -> str | None:
    """The homework otter-assign recorded in a student notebook's metadata, when it says."""
    otter = metadata.get("otter") if isinstance(metadata, dict) else None
    name = otter.get("assignment_name") if isinstance(otter, dict) else None
    return name if isinstance(name, str) and name else None


def read_submission(path: Path, homework: str | None = None) -> ParsedNotebook:
    """Parse ``path``; raise NotebookError with a one-line reason when it is not usable.
    ``homework``: the homework being graded, to warn when the notebook says it is another's."""
    if not path.exists():
        raise NotebookError(f"{path.name}: file not found")
    raw = path.read_bytes()
    if not raw.strip():
        raise NotebookError(f"{path.name} is empty; "
                            "submit the notebook file (.ipynb) you worked in")
    try:
        doc = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotebookError(
            f"{path.name} is not a notebook (invalid JSON: {exc}); submit the .ipynb file saved "
            "from Jupyter") from None
    if not isinstance(doc, dict) or "cells" not in doc and "worksheets" not in doc:
        raise NotebookError(f"{path.name} is JSON but not a Jupyter notebook (no cells)")
    warnings = []
    major = doc.get("nbformat")
    try:
        nb = nbformat.reads(raw.decode(), as_version=4)
    except Exception as exc:  # nbformat raises many types for malformed documents
        raise NotebookError(f"{path.name} is not a readable notebook ({type(exc).__name__}: "
                            f"{str(exc)[:120]})") from None
    if major != 4:
        warnings.append(f"the notebook is in nbformat {major}; it was converted to nbformat 4")
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    language = nb.metadata.get("kernelspec", {}).get("language", "python")
    if language.lower() != "python" or not str(kernel).startswith("python"):
        warnings.append(f"the notebook's kernel is '{kernel}'; it was run as Python 3")
    cells = [(i, strip_otter(c.source)) for i, c in enumerate(nb.cells, start=1)
             if c.cell_type == "code" and c.source.strip()]
    if not nb.cells:
        raise NotebookError(f"{path.name} has no cells; submit the notebook you worked in")
    named = assignment_name(nb.metadata)
    if homework and named and named != homework:
        warnings.append(f"this notebook is the one handed out for {named}, not {homework}; it "
                        f"was graded as {homework} (submit your {homework}.ipynb)")
    return ParsedNotebook(cells, warnings, nb)
