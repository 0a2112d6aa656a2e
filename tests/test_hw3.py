"""hw3 (convolutions and receptive fields): what its hidden tests promise, checked.

- the bundle's questions are docs/course.md's, in order; hidden tests carry most of the points; the
  public tests use only what the student's kernel has (numpy, torch, math);
- graded end to end, the reference earns full marks and the student template nothing (and the
  template runs top to bottom);
- run in-process against local implementations (no kernel), the reference passes every hidden
  test, every mutant fails a hidden test of its question and every alternate passes;
- the large `conv_layer` case tells a slow implementation that it is too slow, in its own words,
  after the forward pass alone when that is already over the limit (500 times the reference's CPU
  time; a fake CPU clock and a fixed reference time make this deterministic);
- the calibration evaluates exactly as the hidden test of `corner_task` does (same architecture,
  same 16 inputs, same all-corners requirement), and its report covers every seed at 1.0.
"""

from __future__ import annotations

import ast
import doctest
import itertools
import json
import math
import re
import time

import nbformat
import numpy as np
import pytest
import torch

from conftest import ROOT
from hidden_local import failures, hidden_cases, reference_cells, reference_definitions, run_locally
from deepgrade.calibrate import load_spec
from deepgrade.grade.bundle import Bundle, Case
from deepgrade.project import Homework

HW = "hw3"
FOLDER = ROOT / "assignments" / HW
BUNDLE = ROOT / "autograder" / HW / f"{HW}-autograder.zip"
REFERENCE = ROOT / "solutions" / HW / f"{HW}-solutions.ipynb"
TEMPLATE = ROOT / "student" / HW / f"{HW}.ipynb"
# docs/course.md, section "hw3", in order (test_homeworks also compares it with that file).
QUESTIONS = ["output_size", "receptive_field", "conv_as_matrix", "conv_layer", "pooling",
             "corner_task"]
WRITTEN = ["written_output_resolution", "written_variable_size",
           "written_corner_receptive_field", "written_residual"]
TRAINING_CELL = "corner_model = build_corner_cnn()"


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return Bundle.load(BUNDLE)


def case_source(case: Case) -> str:
    return "\n".join(e.source for e in doctest.DocTestParser().get_examples(case.code))


def local_student(extra: str = "", train: bool = False) -> dict:
    """The reference's definitions, then ``extra`` (a variant), as a plain namespace; with
    ``train``, then the notebook's training cell, as the notebook runs it (a failing cell is
    skipped, and what it bound before failing stays)."""
    from numpy.lib.stride_tricks import sliding_window_view

    ns: dict = {"np": np, "math": math, "torch": torch, "itertools": itertools,
                "sliding_window_view": sliding_window_view}  # the notebook's imports
    for source in [*reference_definitions(REFERENCE), extra]:
        exec(compile(source, "<local student>", "exec"), ns)
    if train:
        [cell] = [s for s in reference_cells(REFERENCE) if s.startswith(TRAINING_CELL)]
        try:
            exec(compile("corner_data = make_corner_dataset()\n" + cell, "<training>", "exec"), ns)
        except Exception:
            pass
    return ns


# ---------------------------------------------------------------------------- the bundle
def test_conv_layer_budget_stops_loops_after_the_in_test_check(bundle):
    assert bundle.budgets.for_question("conv_layer") >= 15  # the in-test limit: 4 s here
    [large] = [c for c in hidden_cases(bundle, "conv_layer") if "(8, 3, 32, 32)" in c.code]
    assert "cpu_call(conv2d_forward" in large.code and "FACTOR = 500" in large.code


def test_student_notebook_holds_no_solution():
    source = "\n".join(c.source for c in nbformat.read(TEMPLATE, as_version=4).cells
                       if c.cell_type == "code")
    for fragment in ("np.tensordot(", "np.add.at(", "kaiming_normal_(layer", "float(tl == br)",
                     "dilation * (kernel - 1) - 1", "jump *=", ".T\n"):
        assert fragment not in source, fragment


# ---------------------------------------------------------------------------- graded end to end
# ---------------------------------------------------------------------------- in-process
def test_reference_passes_hidden_tests_locally(bundle):
    student = local_student(train=True)
    for name in QUESTIONS:
        assert failures(bundle, name, student) == {}, name


# ---------------------------------------------------------------------------- "too slow"
@pytest.fixture()
def fake_clock(monkeypatch):
    """The CPU clock as the hidden test sees it (time.process_time, for local functions): only
    the student's 'work' advances it; the reference takes 0.008 s, so the limit is 4 s."""
    from deepgrade import checks

    clock = [0.0]
    monkeypatch.setattr(time, "process_time", lambda: clock[0])
    monkeypatch.setattr(checks, "reference_seconds", lambda *args, **kwargs: 0.008)
    return clock


def slow_student(clock: list[float], forward_seconds: float, backward_seconds: float) -> dict:
    student = local_student()
    forward, backward = student["conv2d_forward"], student["conv2d_backward"]

    def conv2d_forward(*args, **kwargs):
        clock[0] += forward_seconds
        return forward(*args, **kwargs)

    def conv2d_backward(*args, **kwargs):
        clock[0] += backward_seconds
        return backward(*args, **kwargs)

    return {**student, "conv2d_forward": conv2d_forward, "conv2d_backward": conv2d_backward}


def large_case(bundle: Bundle) -> Case:
    [case] = [c for c in hidden_cases(bundle, "conv_layer") if "(8, 3, 32, 32)" in c.code]
    return case


def test_large_conv_case_says_too_slow(bundle, fake_clock):
    message = run_locally(large_case(bundle), slow_student(fake_clock, 2.0, 4.0), bundle)
    assert message and message.startswith("too slow: conv2d_forward and conv2d_backward on x of "
                                          "shape (8, 3, 32, 32) with 16 filters of 3x3 used "
                                          "6.00 s of CPU time"), message
    assert "limit of 4.00 s (500 times the reference solution's 0.008 s" in message
    assert "vectorise" in message


def test_large_conv_case_stops_after_a_slow_forward(bundle, fake_clock):
    student = slow_student(fake_clock, 5.5, 0.0)
    called = []
    backward = student["conv2d_backward"]
    student["conv2d_backward"] = lambda *a, **k: called.append(1) or backward(*a, **k)
    message = run_locally(large_case(bundle), student, bundle)
    assert message and message.startswith("too slow: conv2d_forward alone on x of shape "
                                          "(8, 3, 32, 32) used 5.50 s"), message
    assert not called, "the backward pass is not run once the forward pass is over the limit"


def test_large_conv_case_accepts_3_9_seconds(bundle, fake_clock):
    assert run_locally(large_case(bundle), slow_student(fake_clock, 1.6, 2.3), bundle) is None


# ---------------------------------------------------------------------------- calibration
def calibration_spec() -> dict:
    return vars(load_spec(Homework(HW, ROOT)))


def hidden_corner_cnn(bundle: Bundle):
    """The architecture the hidden test of `corner_model` loads the weights into."""
    [case] = [c for c in hidden_cases(bundle, "corner_task") if "corner_model.state_dict()" in c.code]
    assert "from graderlib import corner_cnn" in case_source(case)
    return bundle.helper_modules()["graderlib"].corner_cnn()


def test_calibration_contract():
    spec = calibration_spec()
    assert spec["QUESTION"] == "corner_task" and spec["METRIC"] == "corners_correct"
    assert spec["SEEDS"] == list(range(20)) and spec["MARGIN"] == 0.0
    assert spec["THRESHOLD"] == 1.0  # the hidden test requires all 64 corners
    [cell] = [s for s in reference_cells(REFERENCE) if s.startswith(TRAINING_CELL)]
    seed = int(re.search(r"seed=(\d+)", cell).group(1))
    assert seed in spec["SEEDS"], "the notebook's corner_model is trained with a calibrated seed"


def test_calibration_evaluates_as_the_hidden_test(bundle):
    spec = calibration_spec()
    assert repr(spec["corner_cnn"]()) == repr(hidden_corner_cnn(bundle))
    # its 16 inputs and corner targets are those of the reference's data set
    X, T = spec["corner_inputs"]()
    RX, RY = local_student()["make_corner_dataset"]()
    reference = {tuple(RX[i].ravel()): RY[i, 0] for i in range(16)}
    assert len({tuple(x.ravel()) for x in X}) == 16
    for x, t in zip(X, T):
        y = reference[tuple(np.asarray(x, dtype=float).ravel())]
        assert list(t) == [bool(y[r, c]) for r, c in spec["CORNERS"]]
    # an untrained network fails the metric, a trained one passes it, as in the hidden test
    torch.manual_seed(0)
    untrained = {k: v.numpy() for k, v in spec["corner_cnn"]().state_dict().items()}
    assert spec["evaluate"](untrained)[0] < 1.0
    student = local_student(train=True)
    trained = {k: v.detach().numpy() for k, v in student["corner_model"].state_dict().items()}
    fraction, margin = spec["evaluate"](trained)
    assert fraction == 1.0 and margin > 0
    [case] = [c for c in hidden_cases(bundle, "corner_task") if "corner_model.state_dict()" in c.code]
    assert run_locally(case, student, bundle) is None


def test_calibration_report_covers_every_seed_at_full_marks():
    path = FOLDER / "calibration.json"
    if not path.is_file():
        pytest.skip("no calibration.json: run `deepgrade calibrate hw3`")
    spec = calibration_spec()
    report = json.loads(path.read_text())
    assert report["question"] == "corner_task" and report["seeds"] == spec["SEEDS"]
    assert [t["seed"] for t in report["trials"]] == spec["SEEDS"]
    values = [t["metrics"]["corners_correct"] for t in report["trials"]]
    assert values == [1.0] * len(spec["SEEDS"]), "the recipe must succeed on every seed"
    summary = report["summary"]
    assert summary["min"] == 1.0 and summary["threshold"] == 1.0
    assert summary["margin"] == spec["MARGIN"]
    assert all(t["metrics"]["min_corner_logit_margin"] > 0 for t in report["trials"])
    assert summary["cpu_seconds_max"] < 30, "each seed within 30 s of CPU"
    # the README quotes the report
    readme = (FOLDER / "README.md").read_text()
    assert f"{min(t['metrics']['min_corner_logit_margin'] for t in report['trials']):.2f}" in readme
