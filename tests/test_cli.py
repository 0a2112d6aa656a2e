"""Bad input gets one line that says what and where, a non-zero exit, and never a traceback."""

from __future__ import annotations

import pytest

from conftest import run_cli


def assert_one_line_error(result, *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("deepgrade: error: ")
    for needle in needles:
        assert needle in last, last


def test_unknown_homework():
    assert_one_line_error(run_cli("build", "hw9"), "unknown homework 'hw9'", "hw1")
    assert_one_line_error(run_cli("grade", "hw9", "x.ipynb"), "unknown homework 'hw9'")
    assert_one_line_error(run_cli("validate", "nope"), "unknown homework 'nope'")


def test_missing_submission_path(tmp_path):
    missing = tmp_path / "missing.ipynb"
    assert_one_line_error(run_cli("grade", "hw1", missing), str(missing), "no such file")


def test_a_file_that_is_not_a_notebook(tmp_path):
    text = tmp_path / "essay.txt"
    text.write_text("my answers")
    assert_one_line_error(run_cli("grade", "hw1", text, "--out", tmp_path / "out"),
                          "essay.txt", "not a notebook")


def test_a_broken_ipynb_still_gets_results_and_a_nonzero_exit(tmp_path):
    bad = tmp_path / "broken.ipynb"
    bad.write_text("{ not json")
    result = run_cli("grade", "hw1", bad, "--out", tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "broken.ipynb" in result.stderr.strip().splitlines()[-1]
    assert (tmp_path / "out" / "broken" / "results.json").is_file()


def test_folder_without_notebooks(tmp_path):
    assert_one_line_error(run_cli("grade", "hw1", tmp_path), "no .ipynb notebooks")


def test_outside_a_course_repository(tmp_path):
    assert_one_line_error(run_cli("build", cwd=tmp_path), "no assignments/ folder")


@pytest.mark.parametrize("args", [["grade"], ["grade", "hw1"], ["frobnicate"]])
def test_usage_errors_are_short(args):
    result = run_cli(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_new_refuses_a_name_that_cannot_name_a_homework(tmp_path):
    assert_one_line_error(run_cli("new", "hw-5", cwd=tmp_path), "'hw-5' cannot name a homework")
    assert not (tmp_path / "assignments").exists()
