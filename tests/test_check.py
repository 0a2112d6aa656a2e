"""`deepgrade check HW NOTEBOOK`: the public tests as grader.check_all() runs them. The run in
a kernel is in test_authoring's new-instructor cycle; here its refusals and its printout."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from deepgrade.check import CaseCheck, CheckResult, format_check


def test_a_missing_or_broken_notebook_is_one_line(tmp_path):
    for path, needle in ((tmp_path / "none.ipynb", "no such notebook"),
                         (tmp_path / "bad.ipynb", "is not a notebook (invalid JSON")):
        if path.name == "bad.ipynb":
            path.write_text("{ nope")
        result = run_cli("check", "hw1", path)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        [line] = result.stderr.strip().splitlines()
        assert line.startswith(f"deepgrade: error: {path}") and needle in line, line


def test_the_printout_names_each_failing_case_and_the_cells_that_raised():
    result = CheckResult(
        {"attention": [CaseCheck("attention - 1", True, "")],
         "layer_norm": [CaseCheck("layer_norm - 1", True, ""),
                        CaseCheck("layer_norm - 2", False,
                                  "❌ Test case failed\n    assert y.mean() == 0, 'zero mean'\n"
                                  "    AssertionError: zero mean\n")]},
        [(7, "NameError: name 'eps' is not defined")])
    assert not result.ok
    assert format_check(Path("hw5.ipynb"), result).splitlines() == [
        "hw5.ipynb: public tests, as grader.check_all() runs them",
        "  attention   passed (1 test)",
        "  layer_norm  FAILED 1 of 2 tests",
        "    layer_norm - 2: assert y.mean() == 0, 'zero mean' / AssertionError: zero mean",
        "  cell 7 raised NameError: name 'eps' is not defined (Run All in Jupyter stops there; "
        "the cells after it were run anyway)",
        "public tests passed on 1 of 2 questions; the hidden tests and the points come from the "
        "autograder"]
