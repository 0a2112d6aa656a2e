"""hw2 (backpropagation from scratch): what its hidden tests promise, checked.

- the bundle's questions are docs/course.md's, in order; hidden tests carry most of the points;
- run in-process against local implementations (fast, no kernel), the hidden tests of `mlp`
  compare every gradient for every (f, g) pair with mse_loss and every f with bce_loss, and say
  which parameter, which pair and which loss in a message that quotes no test code;
- the `training` threshold is the one docs/course.md fixes, it is at or below the calibrated one, and
  the calibration trains on exactly the hidden test's spirals (both import them from hw2's
  graderlib, the hidden tests' shared helpers);
- the `mlp` tests judge gradients at parameters they choose themselves, and `training` judges the
  returned network on the grader's data, not the losses it reports.

Graded end to end (reference full marks, template zero) and mutants and alternates through the
real runner: tests/test_grading.py and tests/test_validate.py, for every homework.
"""

from __future__ import annotations

import doctest
import json
import math
import re

import nbformat
import numpy as np
import pytest
import torch

from conftest import ROOT
from hidden_local import failures, hidden_cases, reference_definitions, run_locally
from deepgrade.calibrate import load_spec
from deepgrade.grade.bundle import Bundle
from deepgrade.project import Homework

HW = "hw2"
FOLDER = ROOT / "assignments" / HW
BUNDLE = ROOT / "autograder" / HW / f"{HW}-autograder.zip"
REFERENCE = ROOT / "solutions" / HW / f"{HW}-solutions.ipynb"
TEMPLATE = ROOT / "student" / HW / f"{HW}.ipynb"
# docs/course.md, section "hw2", in order (test_homeworks also compares it with that file).
QUESTIONS = ["tiny_net", "losses", "mlp", "layers", "training", "model_size", "activations"]
COURSE_THRESHOLD = 0.90  # "require accuracy >= 0.90 on fresh points of the same spirals"
PAIRS = [(f, g) for f in ("relu", "sigmoid", "identity") for g in ("relu", "sigmoid", "identity")]
GRAD_KEYS = ["dJdW1", "dJdb1", "dJdW2", "dJdb2"]


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return Bundle.load(BUNDLE)


def local_student(extra: str = "") -> dict:
    """The reference's definitions, then ``extra`` (a variant), as a plain namespace."""
    ns: dict = {"np": np, "math": math, "torch": torch}  # the notebook's imports
    for source in [*reference_definitions(REFERENCE), extra]:
        exec(compile(source, "<local student>", "exec"), ns)
    return ns


# ---------------------------------------------------------------------------- the bundle
def test_student_notebook_holds_no_solution():
    source = "\n".join(c.source for c in nbformat.read(TEMPLATE, as_version=4).cells)
    for fragment in ("dJdz3", "reversed(self.layers)", "np.logaddexp", "layer.params[key] -=",
                     "sqrt(2.0 / in_features)", "p * p"):
        assert fragment not in source, fragment


# ---------------------------------------------------------------------------- backprop coverage
def test_reference_passes_hidden_tests_locally(bundle):
    student = local_student()
    for name in QUESTIONS:
        assert failures(bundle, name, student) == {}, name


def off_by_a_little(f_g: tuple[str, str] | None, key: str, rel: float = 1e-5) -> str:
    """An MLP whose gradient `key` is `rel` too large (relatively), only for the pair f_g."""
    return f"""
_PAIR = {f_g!r}
class MLP(MLP):
    def backward(self, dJdy_hat):
        super().backward(dJdy_hat)
        if _PAIR is None or (self.f_function, self.g_function) == _PAIR:
            self.grads[{key!r}] = self.grads[{key!r}] * (1 + {rel!r})
"""


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{f}-{g}" for f, g in PAIRS])
def test_mlp_gradients_checked_for_every_pair(bundle, pair):
    failed = failures(bundle, "mlp", local_student(off_by_a_little(pair, "dJdW1")))
    f, g = pair
    wanted = f"dJdW1 for f={f}, g={g} with mse_loss"
    assert any(m.startswith(wanted) for m in failed.values()), failed
    if g == "sigmoid":  # cross-entropy is checked for the three f with a sigmoid output
        wanted = f"dJdW1 for f={f}, g=sigmoid with bce_loss"
        assert any(m.startswith(wanted) for m in failed.values()), failed


@pytest.mark.parametrize("key", GRAD_KEYS)
def test_mlp_every_gradient_is_compared_and_named(bundle, key):
    # 1e-3: large enough for the finite-difference case too (its tolerance is rtol 1e-5)
    failed = failures(bundle, "mlp", local_student(off_by_a_little(None, key, 1e-3)))
    # All but the forward-only case and the clear_grad_and_cache case (judged against the
    # student's own backward, so that it checks clearing only).
    gradient_cases = [c.name for c in hidden_cases(bundle, "mlp")
                      if c.label not in ("MLP initialisation and forward, all nine (f, g)",
                                         "clear_grad_and_cache")]
    assert sorted(failed) == sorted(gradient_cases)
    for message in failed.values():
        assert message.startswith(key), message
        for part in ("worst at", "tolerance rtol="):
            assert part in message, message
        # expected and got, or, when the two would print alike, the digits they share
        assert ("expected" in message and "got" in message) or "agree to" in message, message
        # Messages help without showing the test: no code, no helper names.
        assert "\n" not in message and not re.search(r"assert|torch|check_mlp|lambda", message)


def test_mlp_finite_difference_case_alone_catches_a_wrong_gradient(bundle):
    [case] = [c for c in hidden_cases(bundle, "mlp") if "finite differences" in c.code]
    message = run_locally(case, local_student(off_by_a_little(("relu", "sigmoid"), "dJdb2", 1e-3)), bundle)
    assert message and "against central finite differences" in message, message


# ---------------------------------------------------------------------------- training
def training_source(bundle: Bundle) -> str:
    [case] = [c for c in hidden_cases(bundle, "training") if "acc >=" in c.code]
    return "\n".join(e.source for e in doctest.DocTestParser().get_examples(case.code))


def calibration_spec() -> dict:
    return vars(load_spec(Homework(HW, ROOT)))


def test_calibration_trains_on_the_hidden_tests_spirals(bundle):
    spec = calibration_spec()
    test = training_source(bundle)
    # One definition, shared: the hidden tests and the calibration import the same functions.
    assert "def hidden_spirals" not in (FOLDER / "calibration.py").read_text()
    assert "from graderlib import" in test and "def hidden_spirals" not in test
    for name in ("hidden_spirals", "spiral_logits"):
        assert spec[name].__module__ == "graderlib"
        assert name in bundle.helper_modules()["graderlib"].__dict__
    assert spec["QUESTION"] == "training" and spec["METRIC"] == "accuracy"
    assert len(spec["SEEDS"]) >= 20
    seed = int(re.search(r"^\s*SEED = (\d+)$", test, flags=re.MULTILINE).group(1))
    assert seed in spec["SEEDS"], "the hidden test's seed is one of the calibrated ones"
    assert "hidden=64, epochs=200, lr=0.5, seed=SEED" in test  # the call trial() makes


@pytest.mark.parametrize("mutant", ["mlp_w2_zero_skips_first_layer"])
def test_mlp_gradients_are_judged_at_the_tests_own_parameters(bundle, mutant):
    source = (FOLDER / "mutants" / f"{mutant}.py").read_text()
    failed = failures(bundle, "mlp", local_student(source))
    assert any("dJdW1" in m for m in failed.values()), failed


def test_training_judges_the_returned_network_not_the_reported_losses(bundle):
    source = (FOLDER / "mutants" / "training_untrained_invented_losses.py").read_text()
    failed = failures(bundle, "training", local_student(source))
    assert len(failed) == len(hidden_cases(bundle, "training")), failed
    assert any("the grader evaluated the network" in m for m in failed.values()), failed


def test_hidden_threshold_is_course_md_and_within_the_calibration(bundle):
    threshold = float(re.search(r"acc >= (0\.\d+)", training_source(bundle)).group(1))
    assert threshold == COURSE_THRESHOLD
    path = FOLDER / "calibration.json"
    if not path.is_file():
        pytest.skip("no calibration.json: run `deepgrade calibrate hw2`")
    report = json.loads(path.read_text())
    spec = calibration_spec()
    assert report["question"] == "training" and report["seeds"] == spec["SEEDS"]
    summary = report["summary"]
    assert summary["margin"] == spec["MARGIN"]
    accuracies = [t["metrics"]["accuracy"] for t in report["trials"]]
    assert min(accuracies) == summary["min"]
    # The reference clears the hidden threshold on every seed, by at least the margin.
    assert threshold <= summary["threshold"] <= min(accuracies) - spec["MARGIN"] + 1e-12


@pytest.mark.parametrize("mutant", ["training_no_update", "training_wrong_sign"])
def test_broken_trainers_fail_the_accuracy_test(bundle, mutant):
    [case] = [c for c in hidden_cases(bundle, "training") if "acc >=" in c.code]
    source = (FOLDER / "mutants" / f"{mutant}.py").read_text()
    message = run_locally(case, local_student(source), bundle)
    assert message and "at least 90% is required" in message, message


# ---------------------------------------------------------------------------- one mistake, one charge
def mutant(name: str) -> str:
    return (FOLDER / "mutants" / f"{name}.py").read_text()


def case_labelled(bundle: Bundle, question: str, label: str):
    question_ = next(q for q in bundle.questions if q.name == question)
    return next(c for c in question_.cases if c.label == label)


def test_every_case_of_hw2_has_a_label(bundle):
    for question in bundle.questions:
        assert all(c.label for c in question.cases), question.name


def test_training_is_not_charged_for_a_mistake_in_layers(bundle):
    # The student: SoftmaxCrossEntropy.backward without the 1/N, a correct trainer.
    student = local_student(mutant("layers_ce_not_averaged"))
    assert failures(bundle, "layers", student)  # charged once, where the mistake is
    assert failures(bundle, "training", student) == {}
    # The public case too: with wrong layers it checks only what train_classifier does.
    public = case_labelled(bundle, "training", "train_classifier on six points")
    assert run_locally(public, student) is None
    message = run_locally(public, local_student(mutant("layers_ce_not_averaged") + mutant("training_no_update")))
    assert message and "the returned model is the trained one" in message, message


def test_training_with_wrong_layers_still_judges_the_loop(bundle):
    student = local_student(mutant("layers_ce_not_averaged") + mutant("training_wrong_sign"))
    failed = failures(bundle, "training", student)
    assert len(failed) == len(hidden_cases(bundle, "training")), failed
    for message in failed.values():
        assert "your layers from question layers are wrong (SoftmaxCrossEntropy().backward()" \
            in message and "judged on whether it runs gradient descent" in message, message


def test_clear_grad_case_judges_only_clear_grad_and_cache(bundle):
    case = case_labelled(bundle, "mlp", "clear_grad_and_cache")
    assert run_locally(case, local_student(mutant("mlp_sigmoid_grad_preactivation")), bundle) is None
    message = run_locally(case, local_student(mutant("mlp_clear_keeps_grads")), bundle)
    assert message and "right after clear_grad_and_cache()" in message, message


def test_a_gradient_test_names_every_wrong_key_in_backward_order(bundle):
    both = off_by_a_little(None, "dJdW1", 1e-3) + off_by_a_little(None, "dJdW2", 1e-3)
    for label in ["relu as f, as g and as both, mse_loss", "every gradient against finite differences"]:
        message = run_locally(case_labelled(bundle, "mlp", label), local_student(both), bundle)
        lines = message.split("\n")
        assert [line.split()[0] for line in lines] == ["dJdW2", "dJdW1"], message


def test_softmax_cross_entropy_reports_each_failure_with_a_hint(bundle):
    case = case_labelled(bundle, "layers", "SoftmaxCrossEntropy against torch, small and large logits")
    message = run_locally(case, local_student(mutant("layers_ce_unstable")), bundle)
    assert "logits in the thousands" in message and "compute the log-softmax directly" in message
    message = run_locally(case, local_student(mutant("layers_ce_not_averaged")), bundle)
    # the backward is wrong at every size: each one is reported, not only the first
    assert message.count("SoftmaxCrossEntropy().backward()") == 3, message


def test_an_unfinished_function_costs_only_its_own_public_case(bundle):
    unfinished = "def hinge_activation(x, a, b, alpha, beta):\n    ...\n"
    student = local_student(unfinished)
    activations = next(q for q in bundle.questions if q.name == "activations")
    results = {c.label: run_locally(c, student) for c in activations.cases if not c.hidden}
    assert results["swish at a few points"] is None and results["tanh_from_sigmoid at 0 and 1"] is None
    assert "hinge_activation returned None: did you finish the function" in results["hinge_activation at a few points"]


def test_a_diverging_trainer_is_told_when_and_what_it_saw(bundle):
    diverging = mutant("training_wrong_sign").replace("lr * layer.grads", "100 * lr * layer.grads")
    case = case_labelled(bundle, "training", "the training loss falls")
    message = run_locally(case, local_student(diverging), bundle)
    assert "epoch 0:" in message and "each step must subtract lr * grad" in message, message
