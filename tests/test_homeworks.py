"""What every homework promises, whatever its topic: the contract's question names, hidden tests
worth most of the points, public tests that run without deepgrade and earn nothing for a trivial
answer, grader-side helpers that never reach the student, written questions with model answers
and rubrics, and a student notebook without solutions."""

from __future__ import annotations

import re

import nbformat
import numpy as np
import pytest

from conftest import ROOT, homeworks
from deepgrade.assign.master import check_master, read_master
from deepgrade.grade.bundle import Bundle
from hidden_local import course_questions

# docs/course.md's question names, copied here so that the check holds even without docs/course.md at hand
# (when it is, the two must agree too).
CONTRACT = {
    "hw1": ["softmax", "log_softmax", "softmax_jacobian", "autodiff_graph", "linreg_hessian",
            "hvp", "weight_decay", "line_search", "mle", "squared_norm", "newton"],
    "hw2": ["tiny_net", "losses", "mlp", "layers", "training", "model_size", "activations"],
    "hw3": ["output_size", "receptive_field", "conv_as_matrix", "conv_layer", "pooling",
            "corner_task"],
    "hw4": ["logistic_regression", "mixture", "fashion_mlp", "squashed_bce", "l1_regression"],
}


def bundle(hw: str) -> Bundle:
    return Bundle.load(ROOT / "autograder" / hw / f"{hw}-autograder.zip")


def test_every_course_homework_is_here():
    assert sorted(CONTRACT) == homeworks()


@pytest.mark.parametrize("hw", homeworks())
def test_question_names_are_the_contracts(hw):
    assert [q.name for q in bundle(hw).questions] == CONTRACT[hw]
    listed = course_questions(hw)
    if listed is not None:
        assert listed == CONTRACT[hw]


@pytest.mark.parametrize("hw", homeworks())
def test_hidden_tests_carry_most_points(hw):
    for q in bundle(hw).questions:
        hidden = sum(c.points for c in q.cases if c.hidden)
        assert hidden >= 0.75 * q.max_score, (q.name, hidden, q.max_score)
        assert any(not c.hidden for c in q.cases), f"{q.name} has no public test"


@pytest.mark.parametrize("hw", homeworks())
def test_no_public_test_worth_points_passes_on_a_trivial_answer(hw):
    from deepgrade.validate.trivial import public_trivial_passes

    assert public_trivial_passes(nbformat.read(ROOT / "assignments" / hw / f"{hw}.ipynb",
                                               as_version=4)) == []


@pytest.mark.parametrize("hw", homeworks())
def test_graderlib_ships_to_the_grader_only(hw):
    source = ROOT / "assignments" / hw / "graderlib.py"
    b = bundle(hw)
    if not source.is_file():
        assert b.helpers == {}
        return
    assert b.helpers == {"graderlib": source.read_text()}  # grader/graderlib.py in the zip
    assert not any("graderlib" in name for name in b.support_files)  # never in the kernel's folder
    assert not list((ROOT / "student" / hw).rglob("graderlib*"))
    # every hidden test that imports it finds what it imports
    module = b.helper_modules()["graderlib"]
    for q in b.questions:
        for case in q.cases:
            for names in re.findall(r"from graderlib import ([\w, ]+)", case.code):
                assert case.hidden, f"{q.name}: a public test cannot import graderlib"
                for name in names.split(","):
                    assert hasattr(module, name.strip()), (q.name, name)


@pytest.mark.parametrize("hw", homeworks())
def test_public_tests_run_without_deepgrade(hw):
    """Public tests run in the student's own kernel, where deepgrade is not installed."""
    for q in bundle(hw).questions:
        for case in q.cases:
            if not case.hidden:
                assert "deepgrade" not in case.code, q.name
                imports = re.findall(r"^>>> (?:import|from) (\w+)", case.code, re.MULTILINE)
                assert set(imports) <= {"numpy", "torch", "math"}, (q.name, imports)


@pytest.mark.parametrize("hw", homeworks())
def test_written_questions_have_model_answers_and_rubrics(hw):
    spec = check_master(hw, read_master(hw, ROOT / "assignments" / hw / f"{hw}.ipynb"))
    assert len(spec.manual) >= 3, "every homework has written questions"
    text = (ROOT / "solutions" / hw / "written-answers.md").read_text()
    sections = text.split("\n## `")[1:]
    assert [s.split("`")[0] for s in sections] == [q.name for q in spec.manual]
    for section in sections:
        assert "**Model answer.**" in section and "**Rubric (" in section, section[:80]


@pytest.mark.parametrize("hw", homeworks())
def test_student_notebook_holds_no_solution_or_marker(hw):
    nb = nbformat.read(ROOT / "student" / hw / f"{hw}.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "BEGIN SOLUTION" not in text and "**Model answer.**" not in text
    assert "**Rubric" not in text and "hidden: true" not in text
    master = read_master(hw, ROOT / "assignments" / hw / f"{hw}.ipynb")
    spec = check_master(hw, master)
    solution_block = re.compile(r"# BEGIN SOLUTION\n(.*?)# END SOLUTION", re.S)
    # Lines that the master also shows outside any solution (a prompt quoting the contract's
    # `rng = np.random.default_rng(seed)`, say) may of course reach students.
    elsewhere = solution_block.sub("", "\n".join(c.source for c in master.cells))
    for q in spec.autograded:  # no other line of a reference solution's body reaches students
        for solution in q.solution:
            for line in "\n".join(solution_block.findall(solution)).splitlines():
                line = line.strip()
                if len(line) > 25 and not line.startswith("#") and line not in elsewhere:
                    assert line not in text, (q.name, line)


@pytest.mark.parametrize("hw", homeworks())
def test_notebook_credits_its_sources(hw):
    nb = nbformat.read(ROOT / "student" / hw / f"{hw}.ipynb", as_version=4)
    intro = "\n".join(c.source for c in nb.cells[:4] if c.cell_type == "markdown")
    assert "adapted from" in intro.lower() or "sources" in intro.lower()


def _as_lists(value):
    """``value`` with every NumPy array (also inside tuples, lists and dicts) as nested lists:
    an answer form the contract accepts wherever it asks for an array."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (tuple, list)):
        return type(value)(_as_lists(v) for v in value)
    if isinstance(value, dict):
        return {k: _as_lists(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("hw", homeworks())
def test_public_tests_accept_nested_lists_for_arrays(hw):
    """A test converts what it receives before it indexes it (H[0, 0] on a list of lists fails)."""
    import ast
    import inspect

    from hidden_local import reference_cells, reference_definitions, run_locally

    student: dict = {}
    reference = ROOT / "solutions" / hw / f"{hw}-solutions.ipynb"
    for source in reference_cells(reference):  # the notebook's imports, wherever they are
        for node in ast.parse(source).body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                try:  # otter, the feedback module and the homework's files/ are not needed
                    exec(compile(ast.Module([node], []), "<imports>", "exec"), student)
                except ImportError:
                    pass
    for source in reference_definitions(reference):
        exec(compile(source, "<reference>", "exec"), student)
    # What the tests call answers in lists; the reference's own calls (its globals) do not.
    facing = dict(student)
    for name, fn in student.items():
        if inspect.isfunction(fn) and fn.__code__.co_filename == "<reference>":
            facing[name] = (lambda f: lambda *a, **k: _as_lists(f(*a, **k)))(fn)
    for q in bundle(hw).questions:
        for case in q.cases:
            if not case.hidden:
                assert run_locally(case, facing) is None, (q.name, case.label)
