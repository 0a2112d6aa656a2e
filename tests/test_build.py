"""`deepgrade build`: deterministic outputs, and build errors that say where and how to fix."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, homeworks, run_cli
from deepgrade.assign import build_homework
from deepgrade.project import Homework


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("hw", homeworks())
def test_rebuild_gives_the_committed_bytes(hw, tmp_path):
    """The generated folders in git are exactly what a fresh build produces."""
    build_homework(Homework(hw, ROOT), tmp_path, log=lambda _: None)
    for kind in ("student", "autograder", "solutions"):
        committed, fresh = _tree(ROOT / kind / hw), _tree(tmp_path / kind / hw)
        assert sorted(committed) == sorted(fresh), f"{kind}/{hw}: different files"
        changed = [name for name in fresh if fresh[name] != committed[name]]
        assert not changed, f"{kind}/{hw}: rebuild changed {changed}; run `make release`"


def test_bundle_layout_is_gradescopes(root):
    zpath = root / "autograder" / "hw1" / "hw1-autograder.zip"
    with zipfile.ZipFile(zpath) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert {"setup.sh", "run_autograder", "requirements.txt", "deepgrade.json"} <= set(names)
        assert all(zf.getinfo(n).date_time == (2020, 1, 1, 0, 0, 0) for n in names)
        assert zf.getinfo("run_autograder").external_attr >> 16 & 0o111
        config = json.loads(zf.read("deepgrade.json"))
        assert all(f"tests/{q}.py" in names for q in config["questions"])
        requirements = zf.read("requirements.txt").decode()
        assert "otter-grader==7.0.0" in requirements and "numpy==" in requirements
        assert "torch==2.13.0" in zf.read("setup.sh").decode()
        assert "python/deepgrade/grade/runner.py" in names


def test_student_notebook_has_no_solutions_or_hidden_tests(root):
    text = (root / "student" / "hw1" / "hw1.ipynb").read_text()
    assert "BEGIN SOLUTION" not in text and "np.diag(s) - np.outer(s, s)" not in text
    public = "".join(p.read_text() for p in (root / "student" / "hw1" / "tests").glob("*.py"))
    assert "'hidden': True" not in public and "seed_everything" not in public


def _master(tmp_path: Path, cells: list, name: str = "hwx") -> Path:
    """A throwaway course folder (only assignments/<name>/) with one master made of cells."""
    make = {"raw": nbformat.v4.new_raw_cell, "md": nbformat.v4.new_markdown_cell,
            "code": nbformat.v4.new_code_cell}
    nb = nbformat.v4.new_notebook(cells=[make[k](s) for k, s in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    folder = tmp_path / "assignments" / name
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{name}.ipynb")
    return tmp_path


CONFIG = ("raw", "# ASSIGNMENT CONFIG\nname: hwx")
Q = ("raw", "# BEGIN QUESTION\nname: q1\npoints: 1")
SOL = [("raw", "# BEGIN SOLUTION"), ("code", "def f():\n    # BEGIN SOLUTION\n    return 1\n"
                                              "    # END SOLUTION"), ("raw", "# END SOLUTION")]
TESTS = [("raw", "# BEGIN TESTS"), ("code", "assert f() == 1"), ("raw", "# END TESTS")]
END = ("raw", "# END QUESTION")


@pytest.mark.parametrize("cells, expected", [
    ([("md", "# hi")], "hwx, cell 1: no ASSIGNMENT CONFIG raw cell"),
    ([CONFIG, Q, *SOL, *TESTS], "hwx, question 'q1', cell 2: BEGIN QUESTION is never closed"),
    ([CONFIG, Q, *SOL, END], "hwx, question 'q1', cell 2: an autograded question has no tests"),
    ([CONFIG, Q, *SOL, *TESTS, END, Q, *SOL, *TESTS, END],
     "hwx, question 'q1', cell 10: duplicate question name"),
    ([CONFIG, Q, SOL[0], SOL[1], *TESTS, END],
     "hwx, question 'q1', cell 5: BEGIN TESTS while SOLUTION is still open"),
    ([("raw", "# ASSIGNMENT CONFIG\nname: other")], "set 'name: hwx'"),
    ([("raw", "# ASSIGNMENT CONFIG\nname: [hwx"), ], "hwx, cell 1: invalid YAML"),
])
def test_build_errors_name_homework_question_and_cell(tmp_path, cells, expected):
    project = _master(tmp_path, cells)
    result = run_cli("build", "hwx", "--no-execute", cwd=project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("deepgrade: error: ") and expected in lines[-1]


def test_test_cells_with_outputs_are_rejected(tmp_path):
    cells = [CONFIG, Q, *SOL, *TESTS, END]
    project = _master(tmp_path, cells)
    path = project / "assignments" / "hwx" / "hwx.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[6].outputs = [nbformat.v4.new_output("stream", text="True")]
    nbformat.write(nb, path)
    result = run_cli("build", "hwx", "--no-execute", cwd=project)
    assert result.returncode == 2 and "cell 7: a test cell has saved outputs" in result.stderr


def test_a_minimal_master_builds(tmp_path):
    project = _master(tmp_path, [CONFIG, Q, *SOL, *TESTS, END])
    result = run_cli("build", "hwx", "--no-execute", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "student" / "hwx" / "hwx.ipynb").is_file()
    assert (project / "autograder" / "hwx" / "hwx-autograder.zip").is_file()
    assert (project / "student" / "hwx" / "tests" / "q1.py").is_file()
    assert os.access(project / "solutions" / "hwx" / "hwx-solutions.html", os.R_OK)


SENSITIVE = """
import numpy as np, torch
torch.manual_seed(0)
x, a, b = torch.randn(1_000_003), torch.randn(257, 513), torch.randn(513, 129)
A = np.random.default_rng(0).normal(size=(301, 301))
# Each of these sums in another order under another vector extension, MKL path or BLAS core.
print(repr(x.sum().item()), repr((a @ b).sum().item()), repr(float((A @ A).sum())))
"""


def test_executed_solutions_do_not_depend_on_the_cpus_vector_extensions(tmp_path, monkeypatch):
    """The build runs solutions with the same numerical kernels whatever the machine would pick:
    as a CPU with AVX2 (and MKL's and OpenBLAS's AVX2 paths) and as one without, the same digits
    (left to the machine, the first two differ in the fifth digit and the third in the last)."""
    from deepgrade.assign.solutions import execute

    printed = []
    for host in ({"ATEN_CPU_CAPABILITY": "avx2", "OPENBLAS_CORETYPE": "Haswell",
                  "MKL_CBWR": "AVX2"},
                 {"ATEN_CPU_CAPABILITY": "default", "OPENBLAS_CORETYPE": "Sandybridge"}):
        with monkeypatch.context() as env:
            for key, value in host.items():
                env.setenv(key, value)
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SENSITIVE)])
            (tmp_path / "tests").mkdir(exist_ok=True)
            execute("hwx", nb, tmp_path / "tests", 120, {}, None)  # type: ignore[arg-type]
            printed.append(nb.cells[0].outputs[0]["text"])
    assert printed[0] == printed[1], printed
