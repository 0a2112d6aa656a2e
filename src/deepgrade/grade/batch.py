"""Grading many submissions, ``jobs`` at a time, each grader its own process.

Each grader process keeps its kernel launcher (zygote) and its sandbox uid for all the
submissions it grades, so the fixed cost per submission is a fork, not a Python start-up.
One broken submission never stops the batch: any failure becomes that submission's report.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from deepgrade.grade.bundle import Bundle
from deepgrade.grade.runner import Report, failed_report, grade_submission


def adopt_zygote(zygotes: list, slots) -> None:
    """Pool initializer: take one of the zygotes the parent started, each grader its own."""
    from deepgrade.grade.kernel import client

    client.adopt(zygotes[slots.get()], zygotes)


def grade_one(bundle: Bundle, path: Path | None, name: str) -> Report:
    """A report for one submission, whatever happens (a grader bug included)."""
    if path is None:
        return failed_report(bundle, name, f"no .ipynb notebook was submitted; submit "
                             f"{bundle.homework}.ipynb")
    try:
        return grade_submission(bundle, path)
    except Exception as exc:  # noqa: BLE001 - the batch must go on; staff see the reason
        return failed_report(bundle, path.name, f"the autograder failed on this submission "
                             f"({type(exc).__name__}: {exc}); ask course staff to regrade")


class Progress:
    """``graded 12/40 [#####.....] 0:34 left`` on stderr: redrawn on a terminal, else a line
    every few seconds (CI logs)."""

    def __init__(self, total: int, enabled: bool = True) -> None:
        self.total, self.done, self.start = total, 0, time.monotonic()
        self.enabled, self.tty = enabled and total > 1, sys.stderr.isatty()
        self._last = 0.0

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if not self.tty and now - self._last < 5 and self.done < self.total:
            return
        self._last = now
        elapsed = now - self.start
        left = elapsed / self.done * (self.total - self.done)
        bar = "#" * (20 * self.done // self.total)
        line = (f"graded {self.done}/{self.total} [{bar:.<20}] "
                f"{int(left) // 60}:{int(left) % 60:02d} left")
        end = "\n" if self.done == self.total or not self.tty else ""
        print(("\r" if self.tty else "") + line, end=end, file=sys.stderr, flush=True)


def grade_many(bundle: Bundle, paths: list[Path | None], jobs: int = 1,
               progress: bool = False, names: list[str] | None = None) -> list[Report]:
    """Reports in the order of ``paths`` (``None``: a submission without a notebook)."""
    names = names or [p.name if p else "(none)" for p in paths]
    bar = Progress(len(paths), progress)
    if jobs <= 1 or len(paths) <= 1:
        reports = []
        for path, name in zip(paths, names):
            reports.append(grade_one(bundle, path, name))
            bar.step()
        return reports
    # Start-up, overlapped: the graders' zygotes (clean interpreters that load torch for the
    # kernels, about 2 s) start first; meanwhile this process imports what the graders need;
    # then the graders are forked from it, each adopting one zygote. Forking is safe here:
    # nothing has started threads (torch's pools start on first use), a grader holds no more
    # than this process does, and kernels always come from the clean zygotes, never a grader.
    from deepgrade.grade import runner
    from deepgrade.grade.kernel import client

    zygotes = client.prestart(jobs)
    runner.trusted_globals()
    ctx = multiprocessing.get_context("fork")
    slots = ctx.SimpleQueue()
    for i in range(jobs):
        slots.put(i)
    try:
        return _run_pool(bundle, paths, names, jobs, ctx, bar, (zygotes, slots))
    finally:
        for z in zygotes:
            z.close()


def _run_pool(bundle: Bundle, paths: list[Path | None], names: list[str], jobs: int, ctx,
              bar: Progress, initargs: tuple) -> list[Report]:
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=adopt_zygote,
                             initargs=initargs) as pool:
        futures = {pool.submit(grade_one, bundle, p, n): i
                   for i, (p, n) in enumerate(zip(paths, names))}
        reports: list[Report | None] = [None] * len(paths)
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                i = futures[future]
                try:
                    reports[i] = future.result()
                except Exception as exc:  # the grader process itself died
                    reports[i] = failed_report(bundle, names[i], f"the autograder crashed "
                                               f"({type(exc).__name__}); ask staff to regrade")
                bar.step()
        return reports  # type: ignore[return-value]
