"""`deepgrade validate`: every homework's hidden tests catch its mutants and trivial answers and
pass its alternates; the trivial answers are what they claim to be."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from conftest import ROOT, homeworks
from deepgrade.project import Homework
from deepgrade.validate import format_verdict, validate_homework
from deepgrade.validate.trivial import KINDS, question_targets, trivial_cell
from deepgrade.validate.variants import read_variants


@pytest.mark.parametrize("hw", homeworks())
def test_validate(hw):
    verdict = validate_homework(Homework(hw, ROOT), jobs=2)
    assert verdict.ok, format_verdict(verdict)


@pytest.mark.parametrize("hw", homeworks())
def test_every_question_has_three_mutants_and_an_alternate(hw):
    from deepgrade.grade.bundle import Bundle

    questions = [q.name for q in Bundle.load(
        ROOT / "autograder" / hw / f"{hw}-autograder.zip").questions]
    folder = ROOT / "assignments" / hw
    mutants = read_variants(folder / "mutants", "mutant")
    alternates = read_variants(folder / "alternates", "alternate")
    for q in questions:
        assert sum(q in m.questions for m in mutants) >= 3, f"{hw}/{q}: fewer than 3 mutants"
        assert any(q in a.questions for a in alternates), f"{hw}/{q}: no alternate"


def test_graded_names_of_each_question():
    import nbformat

    targets = {t.question: t for t in question_targets(
        nbformat.read(ROOT / "assignments" / "hw4" / "hw4.ipynb", as_version=4))}
    fashion = targets["fashion_mlp"]
    assert {"build_mlp", "train_model", "predict_proba"} <= set(fashion.definitions)
    assert fashion.variables == ("fashion_history", "fashion_model")  # read by its tests
    assert fashion.trainers == ("train_model",) and fashion.trains
    assert targets["mixture"].names == ("mixture_prob",) and not targets["mixture"].trains
    assert not any(q.startswith("written") for q in targets)  # manual questions are not graded


def trivial_namespace(kind: str, source: str) -> dict:
    """``source`` run, then each of its definitions replaced by the trivial answer ``kind``."""
    import ast

    ns: dict = {"np": np, "torch": torch}
    exec(source, ns)
    for node in ast.parse(source).body:
        exec(trivial_cell(kind, node.name), ns)
    return ns


REFERENCE = """
def affine(x, w):
    return np.asarray(x) @ w + 1.0

def count(sizes):
    return sum(sizes)

def train(model, x, epochs=3):
    losses = []
    for _ in range(epochs):
        with torch.no_grad():
            model[0].weight += 1.0
        losses.append(float(epochs))
    return {"loss": losses}

class Layer:
    def __init__(self, n):
        self.W = np.arange(n, dtype=float) + 1.0
        self.grads = {"W": np.zeros(n)}
    def forward(self, x):
        return x * self.W
    def backward(self, dout):
        self.grads["W"] = dout
        return dout * self.W
"""


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "untrained"])
def test_trivial_answers_keep_the_shape_and_solve_nothing(kind):
    ns = trivial_namespace(kind, REFERENCE)
    x, w = np.ones((4, 3)), np.ones((3, 2))
    out = ns["affine"](x, w)
    layer = ns["Layer"](3)
    back = layer.backward(np.full(3, 7.0))
    if kind == "none":
        assert out is None and back is None and layer.W is None
    elif kind == "zero":
        assert out == 0 and back == 0
    elif kind == "echo":
        assert out is x and np.all(back == 7.0) and np.all(layer.W == 0)
    else:
        assert np.shape(out) == (4, 2) and not np.allclose(out, 4.0)
        assert np.shape(back) == (3,) and not np.allclose(back, [7.0, 14.0, 21.0])
        assert type(ns["count"]([2, 3])) is (float if kind == "nan" else int)
    if kind != "none":  # the reference's side effects never reach the graded object
        assert not np.any(np.asarray(layer.grads["W"]) == 7.0)


def test_trivial_answers_of_trainers_and_models():
    model = torch.nn.Sequential(torch.nn.Linear(2, 2))
    before = model[0].weight.detach().clone()
    untrained = trivial_namespace("untrained", REFERENCE)
    assert untrained["train"](model, None, epochs=5) == {"loss": []}  # zero epochs
    assert torch.equal(model[0].weight, before)
    zeros = trivial_namespace("zeros", REFERENCE)
    assert zeros["train"](model, None) == {"loss": []}  # trainers run for zero epochs
    ns = {"np": np, "torch": torch, "trained": model}
    exec(trivial_cell("untrained", "trained"), ns)
    assert ns["trained"] is not model and ns["trained"][0].weight.shape == (2, 2)
    assert not torch.equal(ns["trained"][0].weight, before)  # re-initialised
    ns["model"] = model
    exec(trivial_cell("random", "model"), ns)
    assert list(ns["model"].parameters()) == []  # no architecture: not the answer either


def test_an_unfinished_answer_must_be_told_so_first():
    from deepgrade.grade.bundle import Case, Question
    from deepgrade.grade.runner import CaseResult, GradingReport, QuestionResult
    from deepgrade.validate.trivial import unfinished_problems

    told = Case("swish - 1", '>>> CASE = "swish at a few points"', False, 1.0)
    vague = Case("swish - 2", '>>> CASE = "hinge_activation at a few points"', False, 1.0)
    report = GradingReport("hw2", "template", [QuestionResult(Question("activations", [told, vague]), [
        CaseResult(told, False, "swish returned None: did you finish the function and `return`?"),
        CaseResult(vague, False, "zero between beta and alpha")])])
    [problem] = unfinished_problems(report)
    assert "'activations'" in problem and "hinge_activation at a few points" in problem
    assert "zero between beta and alpha" in problem and "swish at a few points" not in problem
    report.questions[0].cases[1].message = "h returned None: did you finish the function?"
    assert unfinished_problems(report) == []
