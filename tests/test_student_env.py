"""What a student receives says how to run it, and is enough: student/<hw>/requirements.txt
(pinned at the autograder's versions), README.md, <hw>.zip; installed alone into a fresh venv,
it runs the student notebook and the solutions with every grader.check."""

from __future__ import annotations

import zipfile

import pytest
from conftest import ROOT, homeworks

from deepgrade.assign import student_env
from deepgrade.assign.autograder import canonical, lock_pins
from deepgrade.errors import BuildError
from deepgrade.project import Homework

TEST_ONLY = {"pytest", "pytest-xdist", "ruff", "mypy"}


def _pins(text: str) -> dict[str, str]:
    return {canonical(line.split("==")[0]): line for line in text.splitlines()
            if line and not line.startswith("#")}


def test_imports_are_read_from_code_cells_not_magics():
    sources = ["import numpy as np\nfrom torch import nn\n!pip install foo\n%matplotlib inline",
               "import os.path\nfrom . import local\nimport matplotlib.pyplot as plt",
               "def broken(:\n    import pandas"]  # a cell that does not parse teaches nothing
    assert student_env.imported_modules(sources) == {"numpy", "torch", "os", "matplotlib"}


def test_requirements_pin_what_is_imported_and_its_closure_at_the_lock():
    text = student_env.requirements_text("hw9", ["import numpy\nimport helper\nimport json"],
                                         {"helper"})
    pins, lock = _pins(text), lock_pins()
    # numpy as imported, the kernel and otter always, and what they pull in (otter: pandas)
    assert {"numpy", "ipykernel", "otter-grader", "pandas", "pyzmq"} <= set(pins)
    assert all(lock[name] == line for name, line in pins.items())
    assert not TEST_ONLY & set(pins) and "deepgrade" not in pins and "helper" not in pins
    assert "torch==2.13.0" in text.splitlines()[1]  # the header says: torch first


def test_an_import_no_package_provides_is_a_one_line_build_error():
    with pytest.raises(BuildError) as err:
        student_env.requirements_text("hw9", ["import not_a_package_anywhere"], set())
    message = str(err.value)
    assert message.startswith("hw9: ") and "not_a_package_anywhere" in message
    assert "\n" not in message


@pytest.mark.parametrize("hw", homeworks())
def test_student_folder_says_how_to_run_it(hw):
    folder = ROOT / "student" / hw
    pins, lock = _pins((folder / "requirements.txt").read_text()), lock_pins()
    assert {"numpy", "torch", "otter-grader", "matplotlib", "ipykernel"} <= set(pins)
    assert all(lock[name] == line for name, line in pins.items())
    readme = (folder / "README.md").read_text()
    for step in ("## On a laptop", "## On a JupyterHub", "## On Colab",
                 "--index-url https://download.pytorch.org/whl/cpu", "pip install -r "
                 "requirements.txt", lock["otter-grader"]):
        assert step in readme, step
    with zipfile.ZipFile(folder / f"{hw}.zip") as zf:
        names = zf.namelist()
    expected = {p.relative_to(folder).as_posix() for p in folder.rglob("*")
                if p.is_file() and p.name != f"{hw}.zip"}
    assert names == sorted(names) and {n.removeprefix(f"{hw}/") for n in names} == expected
    assert {"requirements.txt", "README.md", "deepgrade_feedback.py", f"{hw}.ipynb"} <= expected
    assert any(n.startswith("tests/") for n in expected)
    if "fashion_mnist" in (folder / f"{hw}.ipynb").read_text():
        assert "fashion_mnist.py" in expected and "FASHION_MNIST_DIR" in readme
    apt = Homework(hw, ROOT).settings[""]["apt_packages"]
    if apt:  # the data, on Colab too
        assert f"!apt-get install -y -qq {' '.join(apt)}" in readme


@pytest.mark.install
@pytest.mark.parametrize("hw", homeworks())
def test_student_notebook_runs_in_a_venv_of_its_requirements_only(student_runs, hw):
    run = student_runs[hw, "student"]
    assert run["errors"] == [], "a cell failed (a missing import?)"
    assert run["checks"], "the notebook has grader.check cells"
    for source, text in run["checks"]:  # unanswered: otter ran the public tests and said so
        assert "results" in text.lower() or "failed" in text.lower(), (source, text)
        assert "Traceback" not in text, (source, text)


@pytest.mark.install
@pytest.mark.parametrize("hw", homeworks())
def test_solutions_pass_every_public_check_in_that_venv(student_runs, hw):
    run = student_runs[hw, "solutions"]
    assert run["errors"] == []
    assert run["checks"]
    for source, text in run["checks"]:
        assert "passed" in text and "failed" not in text.lower(), (source, text)
