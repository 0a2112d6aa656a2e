"""``deepgrade grade``: grade submissions with the trusted runner; results, gradebook, summary."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from deepgrade.errors import UserError
from deepgrade.grade.batch import grade_many
from deepgrade.grade.bundle import Bundle
from deepgrade.grade.gradebook import summary, write_gradebook
from deepgrade.grade.results import format_table, write_results
from deepgrade.grade.runner import Report
from deepgrade.grade.submissions import discover
from deepgrade.project import Homework

TABLE_LIMIT = 40  # above this many submissions, print the summary instead of every row


def bundle_for(hw: Homework) -> Bundle:
    path = hw.out("autograder") / f"{hw.name}-autograder.zip"
    if not path.is_file():
        raise UserError(f"{hw.name} has no autograder bundle at {path}; run `deepgrade build "
                        f"{hw.name}` (or `make release`) first")
    return Bundle.load(path)


def main(hw: Homework, paths: tuple[Path, ...], out: Path, jobs: int = 1,
         cluster: str | None = None) -> list[Report]:
    bundle = bundle_for(hw)
    scratch = Path(tempfile.mkdtemp(prefix="deepgrade-grade-"))
    try:
        submissions = discover(paths, hw.name, scratch)
        notebooks, keys = [s.notebook for s in submissions], [s.key for s in submissions]
        if cluster:
            from deepgrade.grade import cluster as dask_cluster

            reports = dask_cluster.grade_many(bundle, notebooks, cluster, progress=True,
                                              names=keys)
        else:
            reports = grade_many(bundle, notebooks, jobs=jobs, progress=True, names=keys)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    for sub, report in zip(submissions, reports):
        write_results(report, out / sub.key / "results.json", bundle.hidden_visibility)
    write_gradebook(out / "gradebook.csv", submissions, reports)
    text = format_table(reports) if len(reports) <= TABLE_LIMIT else summary(reports)
    print(text)
    (out / "summary.txt").write_text(summary(reports) + "\n")
    layers = reports[0].layers if reports and reports[0].layers else ["(none)"]
    print(f"sandbox layers: {', '.join(layers)}")
    print(f"results, gradebook.csv and summary.txt written under {out}")
    unreadable = [r for r in reports if r.unreadable]
    if unreadable:
        raise UserError(f"{len(unreadable)} submission(s) could not be read as notebooks "
                        f"({', '.join(r.submission for r in unreadable[:5])}); they got 0 with the "
                        "reason in their results.json", status=1)
    return reports
