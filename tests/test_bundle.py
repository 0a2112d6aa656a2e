"""The bundle's test files as the grader reads them: points per case by otter's rules, and the
OK-format parse that never executes the file."""

from __future__ import annotations

import pytest

from deepgrade.errors import UserError
from deepgrade.grade.bundle import parse_test_file, resolve_points
from deepgrade.project import Budgets


@pytest.mark.parametrize("total, given, expected", [
    (4, [None, None], [2.0, 2.0]),          # the question's points shared by its cases
    (5, [1, None, None], [1.0, 2.0, 2.0]),  # what the fixed cases leave is shared
    (None, [None, None, None, None], [0.25] * 4),  # nothing given: one point in all
    (None, [2, None], [2.0, 0.0]),          # some given, no total: the others are worth 0
    ([1, 3], [None, None], [1.0, 3.0]),     # a list gives each case its points
])
def test_points_per_case_follow_otter(total, given, expected):
    assert resolve_points(total, given) == pytest.approx(expected)


def test_points_that_cannot_add_up_are_refused():
    with pytest.raises(UserError, match="more points"):
        resolve_points(2, [3, None])
    with pytest.raises(UserError, match="does not match"):
        resolve_points([1, 2], [None])


def test_a_test_file_is_parsed_without_running_it():
    text = '''import os; os._exit(3)
test = {"name": "softmax", "points": 4, "suites": [{"type": "doctest", "cases": [
    {"code": ">>> assert True", "hidden": False, "name": "shape"},
    {"code": ">>> assert 1 == 1", "points": 3}]}]}
'''
    question = parse_test_file(text, "tests/softmax.py")  # the os._exit line never runs
    assert question.name == "softmax" and question.max_score == 4
    assert [(c.name, c.hidden, c.points) for c in question.cases] == [
        ("shape", False, 1.0), ("softmax - 2", True, 3.0)]
    with pytest.raises(UserError, match="no `test"):
        parse_test_file("x = 1\n", "tests/x.py")


def test_each_bundle_preloads_what_its_homework_uses():
    # The zygote imports, for every run, what the homework's code uses: a module the homework
    # never imports would cost every Gradescope run its import (an optimizer's torch._dynamo,
    # 1.3 s of CPU), and one it does use costs the same wherever it is imported.
    from pathlib import Path

    from deepgrade.grade.bundle import Bundle

    root = Path(__file__).resolve().parents[1] / "autograder"
    preload = {hw: Bundle.load(root / hw / f"{hw}-autograder.zip").preload
               for hw in ("hw1", "hw2", "hw3", "hw4")}
    assert preload["hw1"] == ["matplotlib"]  # plots, no optimizer, scalar gradients only
    assert "torch.optim" not in preload["hw2"]  # its training loop is the student's own
    assert "torch.optim" in preload["hw3"] and "torch.optim" in preload["hw4"]


def test_preloads_follow_the_code_and_old_bundles_preload_everything():
    from deepgrade.grade.bundle import Bundle, preload_setting
    from deepgrade.grade.kernel.zygote import preloads_for

    assert preloads_for(["import torch\nopt = torch.optim.SGD(p, lr=0.1)"]) == ["torch.optim"]
    assert preloads_for(["torch.autograd.grad(g, w, grad_outputs=v)"]) == ["symbolic_shapes"]
    assert preloads_for(["import numpy as np"]) == []
    assert preload_setting({}) is None and preload_setting({"preload": "matplotlib"}) is None
    b = Bundle("hw", [], Budgets(), preload=["matplotlib"])
    assert Bundle.from_files(b.to_files(), "test").preload == ["matplotlib"]
    old = Bundle("hw", [], Budgets())
    assert Bundle.from_files(old.to_files(), "test").preload is None  # all of them



