"""The hidden-test helpers: messages that point at the worst entry, gradient checks that work."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from deepgrade import checks


def test_assert_close_accepts_lists_and_0d_arrays():
    checks.assert_close([1.0, 2.0], np.array([1.0, 2.0]), "f(x)")
    checks.assert_close(np.array(3.0), 3.0, "g(x)")


def test_assert_close_names_the_worst_entry():
    expected = np.zeros((3, 4))
    got = expected.copy()
    got[1, 2], got[2, 0] = 1e-3, 5e-1
    with pytest.raises(AssertionError) as err:
        checks.assert_close(got, expected, "dJdW1", rtol=1e-7)
    text = str(err.value)
    assert "dJdW1" in text and "[2, 0]" in text and "2 of 12 entries differ" in text
    assert "expected about 0" in text and "got 0.5" in text and "rtol=1e-07" in text


def test_assert_close_never_shows_an_expected_value_to_the_tolerance():
    # A submission that returns NaN must not read an answer it could hard-code: the expected
    # value is shown with 3 significant digits against rtol 1e-7 (1 digit against rtol 1e-2).
    for rtol, shown in [(1e-7, "-3.16"), (1e-4, "-3.2"), (1e-2, "-3")]:
        with pytest.raises(AssertionError) as err:
            checks.assert_close(float("nan"), -3.157383457, "mle_gaussian_mean", rtol=rtol)
        text = str(err.value)
        assert f"expected about {shown}" in text and "3.157" not in text.replace(shown, ""), text
    with pytest.raises(AssertionError) as err:
        checks.assert_close(1.0, -3.157383457, "mle_gaussian_mean")
    assert "-3.16" in str(err.value) and "-3.157" not in str(err.value)


def test_a_difference_smaller_than_the_digits_shown_is_told_by_its_size():
    # "expected about -0.0484, got -0.04842" reads as equal: the relative error and the
    # tolerance say why it failed, and the student's value is not shown beside a look-alike.
    with pytest.raises(AssertionError) as err:
        checks.assert_close(-0.04842, -0.04838, "layer_norm(x)[0]", rtol=1e-7)
    text = str(err.value)
    assert "relative error 8.27e-04, more than the tolerance rtol=1e-07" in text, text
    assert "agree to the 3 digits shown: about -0.0484" in text, text
    assert "got" not in text and "-0.04838" not in text, text
    with pytest.raises(AssertionError) as err:  # a visible difference keeps both values
        checks.assert_close(-0.0512, -0.04838, "layer_norm(x)[0]")
    assert "expected about -0.0484, got -0.0512 (relative error" in str(err.value)


def test_assert_close_names_a_sign_error_and_a_missing_factor():
    expected = np.array([[1.0, -2.0], [0.5, 3.0]])
    with pytest.raises(AssertionError, match=r"-1 x the expected ones: a sign error"):
        checks.assert_close(-expected, expected, "dJdy_hat of mse_loss")
    with pytest.raises(AssertionError, match=r"your values are 0.5 x the expected ones"):
        checks.assert_close(expected / 2, expected, "dJdy_hat of mse_loss")
    with pytest.raises(AssertionError) as err:  # no common factor: no hint
        checks.assert_close(expected + [[0.0, 1.0], [0.0, 0.0]], expected, "J")
    assert "x the expected ones" not in str(err.value)


def test_assert_close_reports_shape_none_and_nan():
    with pytest.raises(AssertionError, match=r"expected shape \(2, 2\), got \(4,\)"):
        checks.assert_close(np.zeros(4), np.zeros((2, 2)), "J")
    with pytest.raises(AssertionError, match="returned None"):
        checks.assert_close(None, np.zeros(2), "softmax(x)")
    with pytest.raises(AssertionError, match="not finite"):
        checks.assert_close([np.nan, 1.0], [0.5, 1.0], "softmax(x)")


def test_assert_close_relative_tolerance_scales_with_magnitude():
    checks.assert_close([1e6 * (1 + 1e-9)], [1e6], "big", rtol=1e-8)
    with pytest.raises(AssertionError):
        checks.assert_close([1e6 * (1 + 1e-7)], [1e6], "big", rtol=1e-8)


def test_numerical_gradient_matches_analytic_and_restores_input():
    x = np.array([[0.3, -1.2], [2.0, 0.5]])
    before = x.copy()
    grad = checks.numerical_gradient(lambda z: float(np.sum(np.sin(z) * z)), x)
    np.testing.assert_allclose(grad, np.cos(x) * x + np.sin(x), rtol=1e-7)
    np.testing.assert_array_equal(x, before)


def test_check_gradient_catches_a_wrong_gradient():
    x = np.array([0.5, -1.0, 2.0])
    checks.check_gradient(2 * x, lambda z: float(z @ z), x, "d|x|^2")
    with pytest.raises(AssertionError, match="d|x|^2"):
        checks.check_gradient(x, lambda z: float(z @ z), x, "d|x|^2")


def test_torch_gradients_in_float64():
    a, b = np.array([1.0, 2.0]), np.array([[3.0], [4.0]])
    value, (ga, gb) = checks.torch_gradients(lambda p, q: (p @ q).sum() ** 2, a, b)
    assert value == 121.0
    np.testing.assert_allclose(ga, 2 * 11 * b[:, 0])
    np.testing.assert_allclose(gb[:, 0], 2 * 11 * a)


def test_load_weights_checks_keys_shapes_and_values():
    model = torch.nn.Sequential(torch.nn.Linear(2, 3))
    good = {k: v.numpy() + 1 for k, v in model.state_dict().items()}
    checks.load_weights(model, good, "net")
    assert float(model[0].bias[0].detach()) == pytest.approx(good["0.bias"][0])
    with pytest.raises(AssertionError, match="missing weights"):
        checks.load_weights(model, {"0.weight": good["0.weight"]}, "net")
    with pytest.raises(AssertionError, match="has shape"):
        checks.load_weights(model, {**good, "0.bias": np.zeros(4)}, "net")
    with pytest.raises(AssertionError, match="NaN"):
        checks.load_weights(model, {**good, "0.bias": np.full(3, np.nan)}, "net")


def test_accuracy_counts_argmax_matches():
    model = torch.nn.Identity()
    x = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0]], dtype=np.float32)
    assert checks.accuracy(model, x, np.array([0, 1, 1])) == pytest.approx(2 / 3)


def test_failures_reports_every_failing_check_in_order():
    failures = checks.Failures()
    for key, factor in [("dJdW2", -1.0), ("dJdb2", 1.0), ("dJdW1", 2.0)]:
        with failures:
            checks.assert_close(factor * np.ones(3), np.ones(3), key)
    with pytest.raises(checks.CheckFailures) as err:
        failures.raise_any()
    assert [m.split(":")[0] for m in err.value.messages] == ["dJdW2", "dJdW1"]
    assert "sign error" in err.value.messages[0] and "2 x the expected" in err.value.messages[1]
    assert isinstance(err.value, AssertionError)  # a test that catches AssertionError still does


def test_failures_with_one_failure_raises_it_alone_and_none_raises_nothing():
    failures = checks.Failures()
    with failures:
        checks.assert_close([1.0], [1.0], "ok")
    failures.raise_any()  # nothing failed
    with failures:
        checks.assert_close(None, [1.0], "f(x)")
    with pytest.raises(AssertionError) as err:
        failures.raise_any()
    assert not isinstance(err.value, checks.CheckFailures)
    assert str(err.value) == "f(x) returned None: did you finish the function and `return`?"


def test_failures_let_a_crash_through_and_cap_the_list():
    failures = checks.Failures()
    with pytest.raises(ZeroDivisionError):  # not a failed check: the case stops there
        with failures:
            1 / 0
    for i in range(20):
        with failures:
            raise AssertionError(f"check {i}")
    with pytest.raises(checks.CheckFailures) as err:
        failures.raise_any()
    assert len(err.value.messages) == 9 and err.value.messages[-1] == "and 12 more checks failed"


def test_other_question_first_names_the_question_that_is_wrong():
    def wrong_softmax():
        checks.assert_close([0.2, 0.8], [0.5, 0.5], "softmax(x) at this x")

    with pytest.raises(AssertionError) as err:
        with checks.other_question_first("softmax", wrong_softmax):
            checks.assert_close([1.0], [2.0], "softmax_jacobian(x)")
    text = str(err.value)
    assert text.startswith("softmax(x) at this x:") and "softmax_jacobian" not in text
    assert "not graded on its own merits; fix question softmax first" in text


def test_other_question_first_keeps_the_failure_when_the_other_code_is_right_or_missing():
    def missing():
        raise NameError("softmax")

    for check in (lambda: None, missing):
        with pytest.raises(AssertionError) as err:
            with checks.other_question_first("softmax", check):
                checks.assert_close([1.0], [2.0], "softmax_jacobian(x)")
        assert str(err.value).startswith("softmax_jacobian(x): 1 of 1 entries differ")
    with checks.other_question_first("softmax", missing):  # a passing check runs nothing else
        checks.assert_close([1.0], [1.0], "softmax_jacobian(x)")
