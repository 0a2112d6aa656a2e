"""Grading through the trusted runner: the reference earns everything, the template nothing,
and Gradescope's run_autograder writes a results.json in Gradescope's documented format."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT, homeworks
from deepgrade.grade.bundle import Bundle
from deepgrade.grade.results import to_gradescope
from deepgrade.grade.runner import grade_submission

VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def bundle(hw: str) -> Bundle:
    return Bundle.load(ROOT / "autograder" / hw / f"{hw}-autograder.zip")


def check_gradescope_schema(results: dict, questions: list[str]) -> None:
    """Gradescope's documented fields and types (gradescope-autograders 'specs' page)."""
    assert isinstance(results["score"], (int, float))
    assert isinstance(results["output"], str) and results["visibility"] in VISIBILITY
    assert results["stdout_visibility"] in VISIBILITY
    assert isinstance(results["execution_time"], (int, float))
    assert [t["name"] for t in results["tests"]] == questions
    for t in results["tests"]:
        assert isinstance(t["score"], (int, float)) and isinstance(t["max_score"], (int, float))
        assert 0 <= t["score"] <= t["max_score"]
        assert t["status"] in {"passed", "failed"} and t["visibility"] in VISIBILITY
        assert isinstance(t["output"], str)
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))


@pytest.mark.parametrize("hw", homeworks())
def test_reference_full_marks_template_zero(hw):
    b = bundle(hw)
    reference = grade_submission(b, ROOT / "solutions" / hw / f"{hw}-solutions.ipynb")
    lost = {q.name: [c.message for c in q.cases if not c.passed]
            for q in reference.questions if q.score < q.max_score}
    assert not lost and reference.score == reference.max_score > 0
    # the student reads what the score covers and what the staff grade by hand
    output = to_gradescope(reference)["output"]
    written = sum(b.written.values())
    assert written > 0 and f"{reference.max_score:g} autograded (this score) and {written:g} for " \
        "written questions" in output
    template = grade_submission(b, ROOT / "student" / hw / f"{hw}.ipynb")
    assert [q.score for q in template.questions] == [0] * len(b.questions)
    check_gradescope_schema(to_gradescope(template), [q.name for q in b.questions])
    # every failure tells the student something, and never the hidden test's code
    for q in template.questions:
        for case in q.cases:
            assert case.message and ">>>" not in case.message


@pytest.mark.parametrize("hw", homeworks())
def test_gradescope_simulation(hw, tmp_path):
    """Unpack the bundle as Gradescope does and run its run_autograder in this environment."""
    root = tmp_path / "autograder"
    source, submission, results = root / "source", root / "submission", root / "results"
    for folder in (source, submission, results):
        folder.mkdir(parents=True)
    with zipfile.ZipFile(ROOT / "autograder" / hw / f"{hw}-autograder.zip") as zf:
        zf.extractall(source)
    (source / "run_autograder").chmod(0o755)
    shutil.copy(ROOT / "solutions" / hw / f"{hw}-solutions.ipynb", submission / f"{hw}.ipynb")
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), DEEPGRADE_PYTHON=sys.executable)
    run = subprocess.run(["bash", str(source / "run_autograder")], cwd=root, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    data = json.loads((results / "results.json").read_text())
    questions = json.loads((source / "deepgrade.json").read_text())["questions"]
    check_gradescope_schema(data, questions)
    assert data["score"] == sum(t["max_score"] for t in data["tests"]) > 0
    # what the student waited for, start-up included, and where it went (for staff)
    timings = data["extra_data"]["timings"]
    assert {"python", "launcher", "bundle", "start", "cells", "tests", "stop"} <= set(timings)
    assert data["execution_time"] >= sum(timings.values()) * 0.99
    shown = re.search(r"Graded in (\d+\.\d) s, start-up included\.$", data["output"])
    assert shown and abs(float(shown.group(1)) - data["execution_time"]) <= 0.06, data["output"]


def test_gradescope_without_a_notebook(tmp_path):
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    with zipfile.ZipFile(ROOT / "autograder" / "hw1" / "hw1-autograder.zip") as zf:
        zf.extractall(root / "source")
    (root / "submission" / "answers.pdf").write_bytes(b"%PDF-1.4")
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), DEEPGRADE_PYTHON=sys.executable)
    subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, timeout=300,
                   capture_output=True)
    data = json.loads((root / "results" / "results.json").read_text())
    assert data["score"] == 0 and "no .ipynb notebook was submitted" in data["output"]


def test_same_submission_twice_gives_the_same_results():
    b = bundle("hw1")
    path = ROOT / "solutions" / "hw1" / "hw1-solutions.ipynb"
    first, second = (to_gradescope(grade_submission(b, path)) for _ in range(2))
    for results in (first, second):
        results.pop("execution_time"), results.pop("extra_data")
    assert first == second
