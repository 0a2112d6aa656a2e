"""results.json as the student reads it: every case named by its label, every failing property
on a line of its own, nothing meant for staff in the top-level output."""

from __future__ import annotations

from deepgrade.grade.bundle import Case, Question, case_label
from deepgrade.grade.results import to_gradescope
from deepgrade.grade.runner import CaseResult, GradingReport, QuestionResult


def report_of(results: list[CaseResult]) -> GradingReport:
    question = Question("mlp", [r.case for r in results])
    report = GradingReport("hw2", "submission", [QuestionResult(question, results)])
    report.layers = ["user", "session", "limits"]
    return report


def test_case_label_is_the_string_assigned_to_CASE():
    assert case_label('>>> CASE = "f=relu, g=sigmoid"\n>>> x = 1') == "f=relu, g=sigmoid"
    assert case_label(">>> x = 1\n>>> CASE = 'the loss falls'") == "the loss falls"
    assert case_label('CASE = "plain source"\nassert True') == "plain source"
    assert case_label(">>> CASES = 3\n>>> CASE = f(x)") == ""  # not a literal: no label


def test_every_case_says_its_label_passed_or_failed():
    passed = Case("mlp - 1", '>>> CASE = "relu as f"\n>>> pass', True, 3.0)
    failed = Case("mlp - 2", '>>> CASE = "clear_grad_and_cache"\n>>> pass', True, 2.0)
    unlabelled = Case("mlp - 3", ">>> pass", False, 1.0)
    results = [CaseResult(passed, True), CaseResult(failed, False, "grads wrong"),
               CaseResult(unlabelled, True)]
    output = to_gradescope(report_of(results))["tests"][0]["output"].splitlines()
    assert output == ["hidden test 1 (relu as f): passed",
                      "hidden test 2 (clear_grad_and_cache): failed: grads wrong",
                      "public test 3: passed"]


def test_each_failing_property_gets_its_own_line():
    case = Case("mlp - 1", '>>> CASE = "relu as f"', True, 3.0)
    result = CaseResult(case, False, "dJdW2: 3 of 4 entries differ\ndJdW1: 6 of 6 entries differ")
    output = to_gradescope(report_of([result]))["tests"][0]["output"].splitlines()
    assert output == ["hidden test 1 (relu as f): failed: dJdW2: 3 of 4 entries differ",
                      "    and: dJdW1: 6 of 6 entries differ"]


def test_the_sandbox_layers_are_for_staff_only():
    results = to_gradescope(report_of([CaseResult(Case("mlp - 1", ">>> pass", True, 1.0), True)]))
    assert "Sandbox layers" not in results["output"] and "session" not in results["output"]
    assert results["extra_data"]["layers"] == ["user", "session", "limits"]
