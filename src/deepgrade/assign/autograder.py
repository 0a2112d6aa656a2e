"""The Gradescope autograder bundle: deepgrade's runner, the tests and the pinned environment."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import deepgrade
from deepgrade.assign.deterministic import write_zip
from deepgrade.project import Homework

EXECUTABLES = frozenset({"run_autograder", "setup.sh"})


def package_sources() -> dict[str, bytes]:
    """deepgrade's own source, shipped so Gradescope runs exactly the grader that was tested."""
    root = Path(deepgrade.__file__).parent
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files[f"python/deepgrade/{path.relative_to(root).as_posix()}"] = path.read_bytes()
    return files


def bundle_files(hw: Homework, questions: list[str], tests_dir: Path,
                 support: dict[str, bytes]) -> dict[str, bytes]:
    """Everything that goes into ``<hw>-autograder.zip``, keyed by its path in the zip."""
    templates = resources.files("deepgrade.assign") / "templates"
    budgets = hw.budgets
    config = {
        "homework": hw.name,
        "questions": questions,
        "budgets": {
            "notebook_seconds": budgets.notebook_seconds,
            "cell_seconds": budgets.cell_seconds,
            "test_seconds": budgets.test_seconds,
            "memory_mb": budgets.memory_mb,
            "question_test_seconds": budgets.question_test_seconds,
        },
        "hidden_visibility": hw.settings.get("hidden_visibility", "visible"),
    }
    files = {
        "run_autograder": (templates / "run_autograder").read_bytes(),
        "setup.sh": (templates / "setup.sh").read_text().replace(
            "@APT_PACKAGES@", " ".join(hw.settings.get("apt_packages", []))).encode(),
        "requirements.txt": requirements_text(hw.root).encode(),
        "deepgrade.json": (json.dumps(config, indent=2, sort_keys=True) + "\n").encode(),
    }
    for name in questions:
        files[f"tests/{name}.py"] = (tests_dir / f"{name}.py").read_bytes()
    files.update({f"files/{name}": data for name, data in support.items()})
    helpers = hw.folder / "graderlib.py"  # trusted helpers of the hidden tests (grader side)
    if helpers.is_file():
        files["grader/graderlib.py"] = helpers.read_bytes()
    files.update(package_sources())
    return files


def support_files(hw: Homework) -> dict[str, bytes]:
    """``assignments/<hw>/files/``: shipped beside the student notebook and copied into the
    grading kernel's working folder (symlinks are followed, so one source file can serve)."""
    support = hw.folder / "files"
    if not support.is_dir():
        return {}
    return {path.relative_to(support).as_posix(): path.read_bytes()
            for path in sorted(support.rglob("*")) if path.is_file()}


def requirements_text(root: Path) -> str:
    lock = (root / "requirements.lock").read_text()
    return "# Pinned by deepgrade (requirements.lock); torch 2.13.0 CPU is installed first.\n" + lock


def write_bundle(hw: Homework, questions: list[str], tests_dir: Path, support: dict[str, bytes],
                 out: Path) -> Path:
    path = out / f"{hw.name}-autograder.zip"
    write_zip(path, bundle_files(hw, questions, tests_dir, support), EXECUTABLES)
    return path
