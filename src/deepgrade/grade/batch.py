"""Grading many submissions, ``jobs`` at a time, each grader its own process.

Each grader process keeps its kernel launcher (its server of the run's one zygote) and its
sandbox uid for all the submissions it grades, so the fixed cost per submission is a fork, not
a Python start-up, and the zygote loads torch once for all graders.
One broken submission never stops the batch: any failure becomes that submission's report, and
a grader process that dies takes no one else with it (the pool is replaced; the submissions it
was grading are graded again one at a time, and the one that kills a grader alone becomes a
grader fault: "not graded: ask staff to regrade").

The entry point is ``grade_many(bundle, paths, ..., on_report=callback)``: the callback receives
each report as soon as it is finished (in finishing order), which is where the grade command
records it in the store; a cluster backend offers the same seam (a list of submissions in, one
callback per finished report out).
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deepgrade.grade.bundle import Bundle
from deepgrade.grade.runner import (
    GradingReport,
    failed_report,
    grade_submission,
    grader_fault_report,
)

if TYPE_CHECKING:
    from deepgrade.grade.kernel.client import Zygote

# (index in paths, its report), as each one finishes; what it returns is ignored
OnReport = Callable[[int, GradingReport], object]


def no_notebook_report(bundle: Bundle, name: str) -> GradingReport:
    """Zero with the reason, for an upload that holds no notebook."""
    return failed_report(bundle, name, f"no .ipynb notebook was submitted; submit "
                         f"{bundle.homework}.ipynb")


def every_report(reports: list[GradingReport | None]) -> list[GradingReport]:
    """``reports`` once every slot is filled (each submission's report arrived)."""
    done = [r for r in reports if r is not None]
    assert len(done) == len(reports), "a submission was left without a report"
    return done


def is_grader_fault(report: GradingReport) -> bool:
    return bool(report.grader_fault)


def adopt_zygote(zygotes: list[Zygote], slots) -> None:
    """Pool initializer: take one of the zygote's servers the parent started, each grader its
    own."""
    from deepgrade.grade.kernel import client

    client.adopt(zygotes[slots.get()], zygotes)


def drop_zygotes(zygotes: list[Zygote]) -> None:
    """Close this process's copies of the first graders' sockets: in the parent once those
    graders are forked, and as the initializer of a replacement pool (its graders start
    zygotes of their own on demand)."""
    for z in zygotes:
        z.sock.close()


def grade_one(bundle: Bundle, path: Path | None, name: str) -> GradingReport:
    """A report for one submission, whatever happens (a grader bug included)."""
    if path is None:
        return no_notebook_report(bundle, name)
    try:
        return grade_submission(bundle, path)
    except Exception as exc:  # noqa: BLE001 - the batch must go on; staff see the reason
        return grader_fault_report(bundle, path.name, f"{type(exc).__name__}: {exc}")


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


def start_zygote(jobs: int) -> list[Zygote]:
    """Start the kernels' zygote for ``jobs`` graders now, so that it loads while the caller
    reads the submissions; hand the result to ``grade_many``."""
    from deepgrade.grade.kernel import client

    return client.prestart(jobs) if jobs > 1 else [client.zygote()]


def grade_many(bundle: Bundle, paths: Sequence[Path | None], jobs: int = 1,
               progress: bool = False, names: list[str] | None = None,
               on_report: OnReport | None = None,
               zygotes: list[Zygote] | None = None) -> list[GradingReport]:
    """Reports in the order of ``paths`` (``None``: a submission without a notebook); each is
    also handed to ``on_report`` as soon as it is finished. ``zygotes``: from
    ``start_zygote(jobs)``, when the caller started it early."""
    from deepgrade.grade.kernel import client

    names = names or [p.name if p else "(none)" for p in paths]
    bar = Progress(len(paths), progress)
    reports: list[GradingReport | None] = [None] * len(paths)

    def finish(i: int, report: GradingReport) -> None:
        reports[i] = report
        if on_report is not None:
            on_report(i, report)
        bar.step()

    if jobs <= 1 or len(paths) <= 1:
        if zygotes:  # this process grades: with the first server; the others stop
            client.adopt(zygotes[0], zygotes)
        if paths:
            # The grader's own imports (torch: seconds) before the first submission's clock,
            # as the forked graders below have them: else the first grading of a run is the
            # "slowest" in the report for importing torch, not for its code.
            from deepgrade.grade import runner

            runner.trusted_globals()
        for i, (path, name) in enumerate(zip(paths, names)):
            finish(i, grade_one(bundle, path, name))
        return every_report(reports)
    # Start-up, overlapped: the zygote (a clean interpreter that loads torch for the kernels,
    # about 2 s, once for all graders) starts first; meanwhile this process imports what the
    # graders need; then the graders are forked from it, each adopting its own server of the
    # zygote. Forking is safe here:
    # nothing has started threads (torch's pools start on first use), a grader holds no more
    # than this process does, and kernels always come from the clean zygotes, never a grader.
    from deepgrade.grade import runner

    if not zygotes or len(zygotes) != jobs:
        for z in zygotes or []:
            z.close()
        zygotes = client.prestart(jobs)
    runner.trusted_globals()
    ctx = multiprocessing.get_context("fork")
    slots = ctx.SimpleQueue()
    for i in range(jobs):
        slots.put(i)
    try:
        _run_pools(bundle, paths, names, jobs, ctx, finish, zygotes, slots)
    finally:
        for z in zygotes:
            z.close()
    return every_report(reports)


def _run_pools(bundle: Bundle, paths: Sequence[Path | None], names: list[str], jobs: int, ctx,
               finish: Callable[[int, GradingReport], None], zygotes: list[Zygote],
               slots) -> None:
    """Grade every index; a pool whose grader died is replaced. At most ``jobs + 1`` submissions
    are in flight (one queued, so that a grader that finishes starts its next submission while
    this process records the report), so those lost with a dead grader are known: each is
    graded again alone, and one that kills a grader alone is the culprit (a grader fault; its
    neighbours are unharmed)."""
    todo = deque(range(len(paths)))
    suspects: deque[int] = deque()
    first, released = True, False
    while todo or suspects:
        initializer: Callable[..., None] = adopt_zygote if first else drop_zygotes
        initargs: tuple[Any, ...] = (zygotes, slots) if first else (zygotes,)
        first = False
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=initializer,
                                 initargs=initargs) as pool:
            running: dict[Future, int] = {}
            alone = False  # grading a suspect: nothing else in flight
            while todo or suspects or running:
                if not running and suspects:
                    i = suspects.popleft()
                    running[pool.submit(grade_one, bundle, paths[i], names[i])] = i
                    alone = True
                elif not alone and not suspects:
                    while todo and len(running) < jobs + 1:
                        i = todo.popleft()
                        running[pool.submit(grade_one, bundle, paths[i], names[i])] = i
                if not released:
                    # The first submit forked every grader, each with its socket; this process
                    # lets go of its copies, so a grader's death closes its server's socket
                    # (the server then kills that grader's kernels at once).
                    released = True
                    drop_zygotes(zygotes)
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                broken = False
                for future in finished:
                    i = running.pop(future)
                    try:
                        finish(i, future.result())
                    except BrokenProcessPool:
                        broken = True
                        if alone:
                            finish(i, grader_fault_report(
                                bundle, names[i], "the grader process died while grading it"))
                        else:
                            suspects.append(i)
                    except Exception as exc:  # noqa: BLE001 - the result could not come back
                        finish(i, grader_fault_report(bundle, names[i],
                                                      f"{type(exc).__name__}: {exc}"))
                if broken:  # the rest of this pool's futures are lost too: suspects, all
                    suspects.extend(running.values())
                    running.clear()
                    break
                if alone and not running:
                    alone = False
