"""Authoring a homework in a course folder of its own: `deepgrade new` writes a master that builds
and validates, and `deepgrade build` refuses each broken master with one line naming the
homework, the question (or the homework.toml key), the master's cell and the test case.

The broken masters are the `deepgrade new` master with one mistake each, built in a temporary
course folder outside this repository (only `assignments/<hw>/` in it).
"""

from __future__ import annotations

import csv
import re
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, run_cli
from deepgrade.assign.new import new_homework
from deepgrade.grade.bundle import fault_of_test
from deepgrade.grade.notebook import read_submission
from deepgrade.grade.runner import TRUSTED_NAMES
from deepgrade.project import SCHEMA, Budgets, Homework, read_settings

HW = "hw9"
# Cell numbers (from 1) of the master `deepgrade new` writes.
QUESTION, SOLUTION, PUBLIC, HIDDEN, HIDDEN_2, WRITTEN, WRITTEN_ANSWER = 4, 7, 10, 11, 12, 15, 18


def course(tmp_path: Path) -> Path:
    """A course folder holding only assignments/hw9/, as `deepgrade new` writes it."""
    root = tmp_path / "course"
    root.mkdir()
    result = run_cli("new", HW, cwd=root)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in root.iterdir()) == ["assignments"]
    return root


def edit_cell(root: Path, number: int, change: Callable[[str], str]) -> None:
    path = root / "assignments" / HW / f"{HW}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[number - 1].source = change(nb.cells[number - 1].source)
    nbformat.write(nb, path)


def edit_toml(root: Path, change: Callable[[str], str]) -> None:
    path = root / "assignments" / HW / "homework.toml"
    path.write_text(change(path.read_text()))


def refused(result, *needles: str) -> str:
    """The build failed with one `deepgrade: error:` line (no traceback) holding ``needles``."""
    assert result.returncode == 2, result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"deepgrade: error: {HW}"), last
    for needle in needles:
        assert needle in last, last
    return last


def build(root: Path, *args: str):
    return run_cli("build", HW, *args, cwd=root)


# (what is broken, the edit, what the one error line must name)
BROKEN: list[tuple[str, Callable[[Path], None], tuple[str, ...]]] = [
    ("public test imports deepgrade",
     lambda r: edit_cell(r, PUBLIC, lambda s: s.replace(
         "y = relu", "from deepgrade.checks import assert_close\ny = relu")),
     ("question 'relu'", f"cell {PUBLIC} (public test 1)", "imports 'deepgrade'")),
    ("public test imports matplotlib",
     lambda r: edit_cell(r, PUBLIC, lambda s: s + "\nimport matplotlib.pyplot as plt"),
     (f"cell {PUBLIC} (public test 1)", "imports 'matplotlib'")),
    ("hidden test imports a package the grader lacks",
     lambda r: edit_cell(r, HIDDEN, lambda s: s.replace("from deepgrade", "import scipy\nfrom deepgrade")),
     ("question 'relu'", f"cell {HIDDEN} (hidden test 2)", "'scipy'", "grader does not have")),
    ("test misspells the student's function",
     lambda r: edit_cell(r, HIDDEN_2, lambda s: s.replace("relu(x.tolist())", "rleu(x.tolist())")),
     (f"cell {HIDDEN_2} (hidden test 3)", "'rleu'", "fix the spelling")),
    ("test misspells its own variable",
     lambda r: edit_cell(r, PUBLIC, lambda s: s.replace("np.allclose(y,", "np.allclose(yy,")),
     (f"cell {PUBLIC} (public test 1)", "'yy'")),
    ("public test line that prints",
     lambda r: edit_cell(r, PUBLIC, lambda s: s + "\nprint(y)"),
     (f"cell {PUBLIC} (public test 1)", "line 9 of a public test prints a value")),
    ("public test line that shows a value",
     lambda r: edit_cell(r, PUBLIC, lambda s: s + "\ny.sum() == 2"),
     (f"cell {PUBLIC} (public test 1)", "prints a value")),
    ("solution cell that is not Python",
     lambda r: edit_cell(r, SOLUTION, lambda s: s.replace("return np.maximum(x, 0.0)",
                                                          "return np.maximum(x, 0.0")),
     ("question 'relu'", f"cell {SOLUTION}", "not valid Python")),
    ("question points disagree with its cases",
     lambda r: edit_cell(r, QUESTION, lambda s: s.replace("points: 4", "points: 5")),
     ("question 'relu'", f"cell {QUESTION}", "add up to 4", "worth 5")),
    ("cases worth more than the question",
     lambda r: edit_cell(r, HIDDEN, lambda s: s.replace("points: 2", "points: 7")),
     ("question 'relu'", "worth 9 points but the question only 4")),
    ("a test config key misspelt",
     lambda r: edit_cell(r, HIDDEN, lambda s: s.replace("points: 2", "point: 2")),
     (f"cell {HIDDEN}", "unknown TEST CONFIG key 'point'")),
    ("a test that is not Python",
     lambda r: edit_cell(r, HIDDEN_2, lambda s: s + "\nassert relu(x) ==="),
     (f"cell {HIDDEN_2} (hidden test 3)", "not valid Python")),
    ("missing END SOLUTION line",
     lambda r: edit_cell(r, SOLUTION, lambda s: s.replace("    # END SOLUTION", "")),
     ("question 'relu'", f"cell {SOLUTION}", "'# END SOLUTION'")),
    ("written question without rubric",
     lambda r: edit_cell(r, WRITTEN_ANSWER, lambda s: s.split("**Rubric")[0]),
     ("question 'written_relu_derivative'", f"cell {WRITTEN_ANSWER}", "no rubric")),
    ("written question without model answer",
     lambda r: edit_cell(r, WRITTEN_ANSWER, lambda s: "**Rubric" + s.split("**Rubric")[1]),
     ("question 'written_relu_derivative'", "no model answer")),
    ("memory_mb as a string",
     lambda r: edit_toml(r, lambda s: s.replace("memory_mb = 3072", 'memory_mb = "4GB"')),
     ("homework.toml", "'budgets.memory_mb' must be an integer", "'4GB'", "assignments/hw9/homework.toml")),
    ("memory_mb too small for torch",
     lambda r: edit_toml(r, lambda s: s.replace("memory_mb = 3072", "memory_mb = 64")),
     ("'budgets.memory_mb' must be at least 1024",)),
    ("a misspelt budget key",
     lambda r: edit_toml(r, lambda s: s.replace("cell_seconds = 300", "cell_second = 300")),
     ("unknown key 'budgets.cell_second'", "did you mean 'cell_seconds'?")),
    ("a misspelt top-level key",
     lambda r: edit_toml(r, lambda s: s.replace("hidden_visibility =", "hidden_visiblity =")),
     ("unknown key 'hidden_visiblity'", "did you mean 'hidden_visibility'?")),
    ("a negative time budget",
     lambda r: edit_toml(r, lambda s: s.replace("notebook_seconds = 600", "notebook_seconds = -5")),
     ("'budgets.notebook_seconds' must be more than 0",)),
    ("an unknown visibility",
     lambda r: edit_toml(r, lambda s: s.replace('hidden_visibility = "visible"',
                                                'hidden_visibility = "secret"')),
     ("'hidden_visibility' must be one of",)),
    ("a budget for a question that does not exist",
     lambda r: edit_toml(r, lambda s: s + "\n[budgets.questions]\nrelus = 10\n"),
     ("'[budgets.questions] relus' names no autograded question", "use one of relu")),
    ("a per-question budget that is not a number",
     lambda r: edit_toml(r, lambda s: s + '\n[budgets.questions]\nrelu = "fast"\n'),
     ("'budgets.questions.relu' must be a number",)),
    ("homework.toml that is not TOML",
     lambda r: edit_toml(r, lambda s: s + "\n[budgets\n"),
     ("homework.toml is not valid TOML",)),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return course(tmp_path_factory.mktemp("template"))


@pytest.mark.parametrize("label, mistake, needles", BROKEN, ids=[b[0] for b in BROKEN])
def test_build_refuses_a_broken_master(template, tmp_path, label, mistake, needles):
    root = tmp_path / "course"
    shutil.copytree(template, root)
    mistake(root)
    refused(build(root, "--no-execute"), *needles)
    assert not (root / "autograder" / HW / f"{HW}-autograder.zip").exists()


def test_new_homework_builds_validates_and_grades_in_a_course_of_its_own(tmp_path):
    """The whole cycle in a folder with nothing from this repository: new, build (the
    reference graded by the trusted grader), validate, grade, report; then a stale bundle and a
    question without mutants are refused."""
    root = course(tmp_path)
    result = build(root)
    assert result.returncode == 0, result.stderr
    assert "grade the reference" in result.stderr
    student = root / "student" / HW
    assert (student / f"{HW}.ipynb").is_file() and (student / "deepgrade_feedback.py").is_file()
    answers = (root / "solutions" / HW / "written-answers.md").read_text()
    assert answers.startswith(f"# {HW}: a first homework — written questions")  # named once
    assert "every submission on 1 page, one per question" in answers and "(2 points)" in answers
    result = run_cli("validate", HW, "--details", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{HW}: OK" in result.stdout
    mutant = next(line for line in result.stdout.splitlines() if "mutant relu_abs" in line)
    assert "caught" in mutant and "4 of 4 points" in mutant, mutant
    assert f"cell {HIDDEN} (hidden test 2), cell {HIDDEN_2} (hidden test 3)" in mutant
    misspelt = root / "assignments" / HW / "mutants" / "m2.py"
    misspelt.write_text("# question: relu\n# mistake: leaky\ndef rleu(x):\n    return x\n")
    result = run_cli("validate", HW, cwd=root)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"deepgrade: error: assignments/{HW}/mutants/m2.py defines `rleu`, which the master "
        "does not define (did you mean `relu`?); a mutant must redefine the master's own "
        "names, or it changes nothing")
    misspelt.unlink()

    solutions = root / "solutions" / HW / f"{HW}-solutions.ipynb"
    result = run_cli("check", HW, solutions, cwd=root)
    assert result.returncode == 0 and "relu  passed (1 test)" in result.stdout, result.stdout
    result = run_cli("check", HW, student / f"{HW}.ipynb", cwd=root)
    assert result.returncode == 1 and "relu  FAILED 1 of 1 test" in result.stdout, result.stdout
    assert "returned None: did you finish the function" in result.stdout, result.stdout

    out = tmp_path / "grades"
    result = run_cli("grade", HW, solutions, student / f"{HW}.ipynb", "--out", out, cwd=root)
    assert result.returncode == 0, result.stderr
    assert f"1 submission of 2 not run: {HW} (untouched template); grading 1" in result.stderr
    assert ("deepgrade: warning: gradescope-scores.csv and canvas-import.csv have no rows: no "
            "student is known for any of the 2 submissions") in result.stderr, result.stderr
    result = run_cli("report", HW, out, cwd=root)
    assert result.returncode == 0 and (out / "report.html").is_file(), result.stderr

    # Uploads collected elsewhere, laid out as docs/grading.md says, then written scores merged:
    # the report's total is the gradebook's.
    uploads = tmp_path / "uploads"
    (uploads / "submission_1").mkdir(parents=True)
    shutil.copy(solutions, uploads / "submission_1" / f"{HW}.ipynb")
    (uploads / "submission_metadata.yml").write_text(
        "submission_1:\n  :submitters:\n  - :name: Ada Lovelace\n    :sid: '1001'\n"
        "    :email: ada@uni.edu\n  :created_at: 2026-10-08 21:14:03 UTC\n")
    merged = tmp_path / "merged"
    result = run_cli("grade", HW, uploads, "--out", merged, cwd=root)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    scores = tmp_path / "written.csv"
    scores.write_text("Name,SID,Email,1: written_relu_derivative (2.0 pts)\n"
                      "Ada Lovelace,1001,ada@uni.edu,1.5\n")
    result = run_cli("merge-written", HW, merged, scores, cwd=root)
    assert result.returncode == 0, result.stderr
    assert run_cli("report", HW, merged, cwd=root).returncode == 0
    with (merged / "gradebook.csv").open() as f:
        [row] = list(csv.DictReader(f))
    assert (row["total"], row["max_total"]) == ("5.5", "6")
    page = (merged / "report.html").read_text()
    assert "median total 5.5 of 6." in page and "not in these figures" not in page
    assert "<td>graded</td><td>4</td><td>1.5</td><td>5.5</td>" in page

    (root / "assignments" / HW / "mutants" / "relu_abs.py").unlink()
    result = run_cli("validate", HW, cwd=root)
    assert result.returncode == 1
    assert "question 'relu' has no mutant" in result.stdout

    edit_cell(root, PUBLIC, lambda s: s.replace("[0.0, 0.0, 2.0]", "[0.0, 0.0, 2.00]"))
    for command in (["validate", HW], ["grade", HW, student / f"{HW}.ipynb", "--out", out]):
        last = run_cli(*command, cwd=root).stderr.strip().splitlines()[-1]
        assert "bundle is older than assignments/hw9/" in last and "deepgrade build hw9" in last


def test_build_grades_the_reference_and_shows_the_asserts_message(tmp_path):
    root = course(tmp_path)
    edit_cell(root, HIDDEN_2, lambda s: s.replace(
        'assert_close(relu(x.tolist()), np.maximum(x, 0), "relu of a nested Python list")',
        'assert relu(x).sum() > 10, "relu(x) must sum to more than 10"'))
    public = 'assert np.allclose(y, [0.0, 0.0, 2.0]), "relu(x) is max(x, 0) entrywise"'
    edit_cell(root, PUBLIC, lambda s: s.replace(public, "np.allclose(y, [0.0, 0.0, 2.0])"))
    # a public test line whose value is shown fails in the student's grader.check
    refused(build(root), "question 'relu'", f"cell {PUBLIC} (public test 1)", "printed 'True'",
            "expects 'nothing'")
    edit_cell(root, PUBLIC, lambda s: s.replace("np.allclose(y, [0.0, 0.0, 2.0])", public))
    refused(build(root), "question 'relu'", f"cell {HIDDEN_2} (hidden test 3)",
            "fails this test in the grader", "relu(x) must sum to more than 10")
    assert not (root / "autograder" / HW / f"{HW}-autograder.zip").exists()


def test_new_refuses_an_existing_homework(tmp_path):
    root = course(tmp_path)
    result = run_cli("new", HW, cwd=root)
    assert result.returncode == 2 and "exists already" in result.stderr


def test_homework_toml_of_new_names_every_key(tmp_path):
    text = (course(tmp_path) / "assignments" / HW / "homework.toml").read_text()
    for table, keys in SCHEMA.items():
        for key in keys:
            assert f"\n{key.name} = " in text or f"\n# {key.name} = " in text
    assert Homework(HW, tmp_path / "course").budgets.memory_mb == 3072


def test_every_commented_example_of_new_homework_toml_parses(tmp_path):
    """An instructor uncomments the examples of the generated homework.toml: each is valid
    TOML with a value the schema accepts, and each key is written once."""
    path = course(tmp_path) / "assignments" / HW / "homework.toml"
    text = path.read_text()
    example = re.compile(r"^# (\[[\w.]+\]|[A-Za-z_]\w* = .*)$")
    commented = [line for line in text.splitlines() if example.match(line)]
    assert len(commented) >= 4
    for line in commented:
        key, _, value = line[2:].partition(" = ")
        assert f"{key} = " not in value, line  # each key once, not `due = due = ...`
    path.write_text("\n".join(line[2:] if example.match(line) else line
                              for line in text.splitlines()) + "\n")
    settings = read_settings(path, HW)
    late = {k.name: k.example for k in SCHEMA["late"]}
    assert all(late.values()) and settings["late"]["due"] == tomllib.loads(
        f"v = {late['due']}")["v"]
    assert settings["late"]["penalty_per_day"] == 0.1 and settings["late"]["policy"] == "per_day"
    assert settings["budgets.questions"] == {"relu": 10.0}


def test_hidden_tests_draw_their_inputs_from_the_submission_seed(tmp_path):
    """The guide names every name a hidden test finds predefined, SUBMISSION_SEED with its
    rule; the `deepgrade new` master and the guide's examples seed with it."""
    guide = (ROOT / "docs" / "authoring.md").read_text()
    for name in TRUSTED_NAMES:
        assert f"`{name}`" in guide, name
    assert "seed_everything(N + SUBMISSION_SEED)" in guide
    blocks = re.findall(r"```python\n(.*?)```", guide, re.DOTALL)
    master = nbformat.read(course(tmp_path) / "assignments" / HW / f"{HW}.ipynb", as_version=4)
    sources = [*blocks, *(c.source for c in master.cells if c.cell_type == "code")]
    seeded = [line for s in sources for line in s.splitlines() if "seed_everything(" in line
              and "import" not in line]
    assert len(seeded) >= 3
    assert all("SUBMISSION_SEED" in line for line in seeded), seeded


def test_the_authoring_guide_lists_every_key():
    guide = (ROOT / "docs" / "authoring.md").read_text()
    for table, keys in SCHEMA.items():
        for key in keys:
            assert f"`{key.name}`" in guide, key.name


def test_a_test_that_fails_by_its_own_fault_is_a_grader_fault():
    def run(source: str) -> BaseException:
        try:
            exec(compile(source, "<test q: q - 1, example 0>", "exec"), {})
        except Exception as exc:  # the test's own failure, as runner.run_case sees it
            return exc
        raise AssertionError("the test did not fail")

    message = fault_of_test(run("import no_such_module_here"))
    assert message and "autograder fault" in message and "no_such_module_here" in message
    assert fault_of_test(AssertionError("softmax is wrong")) is None
    assert fault_of_test(TypeError("unsupported operand")) is None


def test_a_notebook_of_another_homework_gets_a_note():
    parsed = read_submission(ROOT / "student" / "hw1" / "hw1.ipynb", "hw2")
    assert any("handed out for hw1, not hw2" in w for w in parsed.warnings)
    assert not read_submission(ROOT / "student" / "hw1" / "hw1.ipynb", "hw1").warnings


def test_budgets_survive_the_bundle(tmp_path):
    """homework.toml -> Budgets -> deepgrade.json -> Budgets gives the same limits."""
    root = course(tmp_path)
    edit_toml(root, lambda s: s.replace("cell_seconds = 300", "cell_seconds = 45.5")
              + "\n[budgets.questions]\nrelu = 12\n")
    budgets = Homework(HW, root).budgets
    assert budgets.cell_seconds == 45.5 and budgets.for_question("relu") == 12.0
    assert budgets.for_question("other") == budgets.test_seconds == 60.0
    assert Budgets.from_dict(budgets.to_dict()) == budgets
