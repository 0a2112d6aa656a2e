"""The Gradescope autograder bundle: the grader's Bundle, deepgrade's runner and the pinned
environment around it."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import deepgrade
from deepgrade.assign.deterministic import write_zip
from deepgrade.grade.bundle import Bundle, parse_test_file
from deepgrade.project import Homework

EXECUTABLES = frozenset({"run_autograder", "setup.sh"})
TEMPLATES = resources.files("deepgrade.assign") / "templates"


def package_sources() -> dict[str, bytes]:
    """deepgrade's own source, shipped so Gradescope runs exactly the grader that was tested."""
    root = Path(deepgrade.__file__).parent
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files[f"python/deepgrade/{path.relative_to(root).as_posix()}"] = path.read_bytes()
    return files


def make_bundle(hw: Homework, questions: list[str], tests_dir: Path,
                support: dict[str, bytes], written: dict[str, float] | None = None) -> Bundle:
    """The grader's view of the homework, from otter's test files and homework.toml;
    ``written`` gives the points of the staff-graded questions, in the notebook's order (for
    the results' wording, and the blank answers the grader points out, with the student
    notebook as handed out, written before the bundle)."""
    settings = hw.settings
    tests = [parse_test_file((tests_dir / f"{name}.py").read_text(), f"tests/{name}.py")
             for name in questions]
    helpers = hw.graderlib  # trusted helpers of the hidden tests (grader side)
    return Bundle(hw.name, tests, hw.budgets, settings[""]["hidden_visibility"], support,
                  hw.source_digest(), dict(written or {}),
                  {"graderlib": helpers.read_text()} if helpers.is_file() else {},
                  kernel_preloads(hw, support), list(written or {}),
                  hw.student_notebook.read_bytes() if written and hw.student_notebook.is_file()
                  else b"")


def kernel_preloads(hw: Homework, support: dict[str, bytes]) -> list[str]:
    """What the kernels' zygote should import for this homework: what its master's code cells
    (solutions and tests), its support files and its grader helpers use (the student's
    notebook is made of those cells; the grader shares the imports when it forks the zygote)."""
    import nbformat

    from deepgrade.grade.kernel.zygote import preloads_for

    nb = nbformat.read(hw.master, as_version=4)
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    sources += [data.decode(errors="replace") for name, data in support.items()
                if name.endswith(".py")]
    if hw.graderlib.is_file():
        sources.append(hw.graderlib.read_text())
    return preloads_for(sources)


def bundle_files(hw: Homework, bundle: Bundle) -> dict[str, bytes]:
    """Everything that goes into ``<hw>-autograder.zip``, keyed by its path in the zip."""
    apt = " ".join(hw.settings[""]["apt_packages"])
    files = {
        "run_autograder": (TEMPLATES / "run_autograder").read_bytes(),
        "setup.sh": (TEMPLATES / "setup.sh").read_text().replace("@APT_PACKAGES@", apt).encode(),
        "requirements.txt": requirements_text().encode(),
        **bundle.to_files(),
    }
    files.update(package_sources())
    return files


def support_files(hw: Homework) -> dict[str, bytes]:
    """``assignments/<hw>/files/``: shipped beside the student notebook and copied into the
    grading kernel's working folder (symlinks are followed, so one source file can serve)."""
    support = hw.support_folder
    if not support.is_dir():
        return {}
    return {path.relative_to(support).as_posix(): path.read_bytes()
            for path in sorted(support.rglob("*")) if path.is_file()}


def requirements_text() -> str:
    """The pinned environment, from the installed deepgrade (package data), so that a course
    folder of its own needs nothing from deepgrade's repository."""
    lock = (TEMPLATES / "requirements.lock").read_text()
    header = "# Pinned by deepgrade (requirements.lock); torch 2.13.0 CPU is installed first.\n"
    return header + lock


def canonical(name: str) -> str:
    """A distribution's name as PEP 503 compares them (``PyYAML``, ``pyyaml``; ``a_b``, ``a-b``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins() -> dict[str, str]:
    """``{canonical name: 'Name==version'}``: the bundle's lock (the grader's environment), and
    torch, which setup.sh installs first."""
    lock = (TEMPLATES / "requirements.lock").read_text()
    pins = {canonical(line.split("==")[0]): line.strip() for line in lock.splitlines()
            if "==" in line and not line.lstrip().startswith("#")}
    pins["torch"] = "torch==2.13.0"
    return pins


def write_bundle(hw: Homework, bundle: Bundle) -> Path:
    write_zip(hw.bundle, bundle_files(hw, bundle), EXECUTABLES)
    return hw.bundle
