"""The bundle's test files as the grader reads them: points per case by otter's rules, and the
OK-format parse that never executes the file."""

from __future__ import annotations

import pytest

from deepgrade.errors import UserError
from deepgrade.grade.bundle import parse_test_file, resolve_points


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
