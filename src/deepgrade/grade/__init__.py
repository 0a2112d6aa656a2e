"""``deepgrade grade``: grade submissions with the trusted runner and write results.json files."""

from __future__ import annotations

import sys
from pathlib import Path

from deepgrade.errors import UserError
from deepgrade.grade.batch import grade_many
from deepgrade.grade.bundle import Bundle
from deepgrade.grade.results import format_table, write_results
from deepgrade.grade.runner import Report
from deepgrade.project import Homework


def bundle_for(hw: Homework) -> Bundle:
    path = hw.out("autograder") / f"{hw.name}-autograder.zip"
    if not path.is_file():
        raise UserError(f"{hw.name} has no autograder bundle at {path}; run `deepgrade build "
                        f"{hw.name}` (or `make release`) first")
    return Bundle.load(path)


def collect_submissions(paths: tuple[Path, ...]) -> list[Path]:
    """Notebook files named directly, or found (recursively) in the folders named."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UserError(f"{path}: no such file or folder")
        if path.is_dir():
            notebooks = sorted(p for p in path.rglob("*.ipynb")
                               if ".ipynb_checkpoints" not in p.parts)
            if not notebooks:
                raise UserError(f"{path}: no .ipynb notebooks in this folder")
            found.extend(notebooks)
        elif path.suffix != ".ipynb":
            raise UserError(f"{path} is not a notebook (.ipynb); submit the notebook file")
        else:
            found.append(path)
    return found


def submission_key(path: Path, taken: set[str]) -> str:
    """A unique output folder name for a submission: its stem, made unique if needed."""
    key = path.stem
    if key in taken:
        key = f"{path.parent.name}-{path.stem}"
    base, n = key, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def main(hw: Homework, paths: tuple[Path, ...], out: Path, jobs: int = 1) -> list[Report]:
    bundle = bundle_for(hw)
    submissions = collect_submissions(paths)
    reports = grade_many(bundle, submissions, jobs=jobs, progress=sys.stderr.isatty())
    taken: set[str] = set()
    for path, report in zip(submissions, reports):
        write_results(report, out / submission_key(path, taken) / "results.json",
                      bundle.hidden_visibility)
    print(format_table(reports))
    print(f"results written under {out}")
    unreadable = [r for r in reports if r.unreadable]
    if unreadable:
        raise UserError(f"{len(unreadable)} submission(s) could not be read as notebooks "
                        f"({', '.join(r.submission for r in unreadable[:5])}); they got 0 with the "
                        "reason in their results.json", status=1)
    return reports
