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


def _variant(tmp_path, kind: str, source: str):
    from deepgrade.validate.variants import read_variant

    path = tmp_path / f"{kind}s" / "m2.py"
    path.parent.mkdir(exist_ok=True)
    header = "# question: layer_norm\n" if kind == "mutant" else "# questions: layer_norm\n"
    path.write_text(header + source)
    return read_variant(path, kind)


def test_a_misspelt_variant_is_refused_not_blamed_on_the_tests(tmp_path):
    """A mutant defining `layernorm` (the master has `layer_norm`) replaces nothing: it would
    grade as the reference, and validate would say the tests do not catch it."""
    import nbformat

    from deepgrade.errors import UserError
    from deepgrade.validate.variants import check_replaces, master_names

    reference = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np\nEPS = 1e-5"),
        nbformat.v4.new_code_cell("def layer_norm(x):\n    return x\n\ndef attention(q, k, v):"
                                  "\n    return v"),
    ])
    names = master_names(reference)
    assert {"layer_norm", "attention", "EPS"} <= names
    for kind in ("mutant", "alternate"):
        wrong = _variant(tmp_path, kind, "def layernorm(x):\n    return x + 1\n")
        with pytest.raises(UserError) as err:
            check_replaces(wrong, names, f"{kind}s/m2.py")
        assert str(err.value).startswith(f"{kind}s/m2.py defines `layernorm`, which the master "
                                         "does not define (did you mean `layer_norm`?)")
    nothing = _variant(tmp_path, "mutant", "print('hello')\n")
    with pytest.raises(UserError, match="defines nothing at the top level"):
        check_replaces(nothing, names, "mutants/m2.py")
    # a helper beside a replaced name is the variant's own business
    helper = _variant(tmp_path, "alternate", "def _mean(x):\n    return x\n\n"
                      "def layer_norm(x):\n    return _mean(x)\n")
    check_replaces(helper, names, "alternates/m2.py")


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


EQUIVALENT_SOURCE = """
class Layer:
    def forward(self, x):
        return np.asarray(x) * 2.0
    def size(self, x):
        return self.forward(x).shape[0]  # the student's own call: it must get an array

def hessian(x):
    return np.eye(2) * np.sum(x), 3.5, {"g": torch.ones(2, dtype=torch.float64)}
"""


def as_grader_calls(ns: dict, expression: str):
    """``expression`` evaluated as the kernel's worker evaluates a call from the grader."""
    return eval(compile(expression, "/x/deepgrade/grade/kernel/worker.py", "eval"), ns)


@pytest.mark.parametrize("form", ["lists", "tuples", "0d", "floats", "arrays"])
def test_equivalent_answers_are_the_same_values_in_another_form(form):
    import ast

    from deepgrade.validate.equivalent import equivalent_cell

    ns: dict = {"np": np, "torch": torch}
    exec(EQUIVALENT_SOURCE, ns)
    for node in ast.parse(EQUIVALENT_SOURCE).body:
        exec(equivalent_cell(form, node.name), ns)
    H, c, grads = as_grader_calls(ns, "hessian([1.0, 2.0])")
    assert np.allclose(np.asarray(H, dtype=float), 3 * np.eye(2)) and float(c) == 3.5
    assert np.allclose(np.asarray(grads["g"]), 1.0)
    expected_H = {"lists": list, "tuples": tuple}.get(form, np.ndarray)
    assert type(H) is expected_H
    assert type(c) is (np.ndarray if form == "0d" else float)
    assert isinstance(grads["g"], {"lists": list, "tuples": tuple, "arrays": np.ndarray}.get(
        form, torch.Tensor))
    layer = as_grader_calls(ns, "Layer()")
    assert type(as_grader_calls({"layer": layer}, "layer.forward([1.0])")) is \
        {"lists": list, "tuples": tuple}.get(form, np.ndarray)
    # The student's own code calling its functions sees what it returned, not the new form.
    assert int(as_grader_calls({"layer": layer, "np": np}, "layer.size(np.ones(2))")) == 2
    assert type(ns["hessian"]([1.0])[0]) is np.ndarray  # called from elsewhere: unchanged


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
