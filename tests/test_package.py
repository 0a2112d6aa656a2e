"""deepgrade as a course installs it: the wheel built from this repository, installed into a
fresh venv outside it, runs a course of its own (new, build, validate, grade, report), and
brings none of this repository's test tools."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, pip_install

import deepgrade


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of what a build reads (the checkout stays untouched)."""
    source = tmp_path_factory.mktemp("source")
    shutil.copytree(ROOT / "src", source / "src", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "requirements.lock"):  # templates/ links to the lock
        shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-c", "import sys; from setuptools import build_meta as b; "
                    "b.build_wheel(sys.argv[1])", str(out)], cwd=source, check=True,
                   capture_output=True, timeout=600)
    [built] = out.glob("deepgrade-*.whl")
    return built


@pytest.fixture(scope="session")
def course_venv(fresh_venv, student_runs, wheel) -> tuple[Path, float]:
    """The fresh venv with deepgrade's wheel installed as docs/install.md says (torch already
    there; the lock as constraints); after the student's runs, which must not see it."""
    seconds = pip_install(fresh_venv, str(wheel), "-c", str(ROOT / "requirements.lock"),
                          "-c", str(ROOT / "constraints.txt"))
    return fresh_venv, seconds


def _deepgrade(venv: Path, course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DEEPGRADE_ROOT", "PYTHONPATH")}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
    return subprocess.run([str(venv / "bin" / "deepgrade"), *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=1800)


def test_wheel_holds_the_package_and_its_data(wheel):
    import zipfile

    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        lock = zf.read("deepgrade/assign/templates/requirements.lock").decode()
    assert {"deepgrade/cli.py", "deepgrade/assign/templates/setup.sh",
            "deepgrade/assign/templates/deepgrade_feedback.py",
            "deepgrade/data/fashion_mnist.py"} <= names
    assert lock == (ROOT / "requirements.lock").read_text()  # the file, not a dangling link
    assert "pytest==" not in lock and "mypy==" not in lock


@pytest.mark.install
def test_installed_wheel_runs_a_course_of_its_own(course_venv, tmp_path):
    venv, install_seconds = course_venv
    course = tmp_path / "course"
    course.mkdir()
    version = _deepgrade(venv, course, "--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"deepgrade {deepgrade.__version__}"
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import deepgrade; print(deepgrade.__file__)"], cwd=course,
                           capture_output=True, text=True, check=True).stdout
    assert "site-packages" in where and str(ROOT) not in where
    for tool in ("pytest", "mypy", "xdist"):  # this repository's test tools stay out
        found = subprocess.run([str(venv / "bin" / "python"), "-c", f"import {tool}"],
                               capture_output=True)
        assert found.returncode != 0, f"{tool} was installed with deepgrade"

    steps = [("new", "hw5"), ("build", "hw5"), ("validate", "hw5"),
             ("grade", "hw5", "solutions/hw5/hw5-solutions.ipynb", "--out", "grades"),
             ("report", "hw5", "grades")]
    for step in steps:
        start = time.monotonic()
        done = _deepgrade(venv, course, *step)
        assert done.returncode == 0, f"deepgrade {' '.join(step)}:\n{done.stderr[-2000:]}"
        print(f"deepgrade {step[0]}: {time.monotonic() - start:.1f} s")
    print(f"install of the wheel (torch there): {install_seconds:.1f} s")
    for made in ("student/hw5/hw5.ipynb", "student/hw5/requirements.txt", "student/hw5/hw5.zip",
                 "autograder/hw5/hw5-autograder.zip", "grades/report.html"):
        assert (course / made).is_file(), made
    with open(course / "grades" / "gradebook.csv", newline="") as f:
        [row] = list(csv.DictReader(f))
    assert row["status"] == "graded" and float(row["autograded"]) > 0
