"""Grading many submissions, ``jobs`` at a time, each in its own grader process."""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from deepgrade.grade.bundle import Bundle
from deepgrade.grade.runner import Report, grade_submission


def grade_many(bundle: Bundle, paths: list[Path], jobs: int = 1,
               progress: bool = False) -> list[Report]:
    """Reports in the order of ``paths``. With ``jobs > 1`` each grader is its own process, so
    that each one adopts and kills only the escaped processes of its own kernels."""
    if jobs <= 1 or len(paths) <= 1:
        reports = []
        for i, path in enumerate(paths, start=1):
            reports.append(grade_submission(bundle, path))
            _progress(progress, i, len(paths))
        return reports
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        futures = [pool.submit(grade_submission, bundle, p) for p in paths]
        reports = []
        for i, future in enumerate(futures, start=1):
            reports.append(future.result())
            _progress(progress, i, len(paths))
        return reports


def _progress(enabled: bool, done: int, total: int) -> None:
    if enabled:
        print(f"\rgraded {done}/{total}", end="\n" if done == total else "", file=sys.stderr,
              flush=True)
