"""Functions a test hands to student code travel as the test's own source text."""

from __future__ import annotations

import pytest

from deepgrade.grade.proxy import function_source, referenced_globals

TEST_TEXT = '''def loss(w):
    return (w ** 2).sum() + scale
f = lambda w: loss(w) * 2
'''


def _compiled() -> dict:
    ns: dict = {"scale": 3}
    exec(compile(TEST_TEXT, "<test hvp: case 1, example 0>", "exec"), ns)
    return ns


def test_a_function_and_a_lambda_are_cut_from_the_test_text():
    ns = _compiled()
    sources = {"<test hvp: case 1, example 0>": TEST_TEXT}
    assert function_source(ns["loss"], sources) == (
        "def loss(w):\n    return (w ** 2).sum() + scale", "loss")
    assert function_source(ns["f"], sources) == ("_test_fn = lambda w: loss(w) * 2", "_test_fn")
    assert {"loss"} <= referenced_globals(ns["f"].__code__)
    assert {"scale"} <= referenced_globals(ns["loss"].__code__)


def test_functions_from_elsewhere_are_refused():
    def closure():
        x = 1
        return lambda: x

    with pytest.raises(TypeError, match="top level of a test"):
        function_source(closure(), {})
    with pytest.raises(TypeError, match="top level of a test"):
        function_source(_compiled()["loss"], {})  # its test text is unknown
