"""The student notebook runs top to bottom in a fresh kernel, and grader.check works offline."""

from __future__ import annotations

import shutil
import subprocess

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT, homeworks


@pytest.mark.parametrize("hw", homeworks())
def test_student_notebook_runs_and_checks_offline(hw, tmp_path):
    shutil.copytree(ROOT / "student" / hw, tmp_path / hw)
    path = tmp_path / hw / f"{hw}.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path / hw)}}).execute(
                       stderr=subprocess.DEVNULL)
    errors = [(i, o.get("ename"), o.get("evalue")) for i, c in enumerate(nb.cells, 1)
              for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    checks = [c for c in nb.cells if c.cell_type == "code" and "grader.check(" in c.source]
    assert checks, "the student notebook has grader.check cells"
    for cell in checks:
        text = "".join(str(o.get("data", {}).get("text/plain", o.get("text", "")))
                       for o in cell.outputs)
        # Unanswered questions fail their public tests, and otter says so in the cell...
        assert "results" in text.lower() or "failed" in text.lower(), cell.source
        # ...briefly: per failing case the line that failed and its message (deepgrade_feedback),
        # not doctest's trace of every later line.
        cases = text.count("Test case failed")
        assert "Trying:" not in text and "Traceback" not in text, text
        # (a header, then per case: its name, "failed", the line, its message, a blank line)
        assert len(text.strip().splitlines()) <= 1 + 5 * max(cases, 1), text
