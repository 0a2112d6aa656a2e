"""Grading a batch on a Dask cluster: one task per submission, on workers on any machine.

``deepgrade grade HW SUBMISSIONS... --cluster ADDRESS`` sends each submission to the Dask
scheduler at ADDRESS as one task. A worker is an ordinary ``dask worker`` process with deepgrade
installed; it grades exactly as ``deepgrade grade`` does here (``batch.grade_one``), with its own
kernel launcher (zygote) and sandbox uid, and the sandbox layers that its machine allows. If a
worker dies, the scheduler gives its tasks to another worker (Dask's ``allowed-failures``, 3 by
default, after which the submission gets a report saying the autograder crashed, as locally).

What travels: the bundle once per batch (a task whose result the workers share; the scheduler
recomputes it if every worker holding it died), and per submission the notebook's bytes, its
file name and its key; workers on other machines share no files with this one. What comes back
is plain data (``report_to_data``), turned back into a ``GradingReport`` against this side's own
bundle, so a report never carries test code and a worker cannot hand the grader an object.

One submission at a time per worker process: a grader process owns one zygote and one locked
kernel uid (kernel/client.py, kernel/sandbox.py), which threads must not share, so a worker
started with several threads grades on one of them at a time (``_GRADING``) and the others
wait. Start workers with ``--nthreads 1`` and one process per core (``--nworkers N``).

Every task carries this side's ``environment()`` (deepgrade's source and the versions of the
libraries that decide a grade); a worker with another one refuses the task, and the batch stops
with a message naming it, so a result is never graded by other code than the local one.

This module is imported by the scheduler too (Dask unpickles the task graph there), so it
imports nothing heavy at the top.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import pickle
import platform
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deepgrade.errors import UserError

if TYPE_CHECKING:
    from distributed import Client, Future

    from deepgrade.grade.bundle import Bundle
    from deepgrade.grade.runner import GradingReport

CONNECT_SECONDS = 20  # reaching the scheduler
NO_WORKER_SECONDS = 120  # how long a batch waits with no worker at all before it gives up
POLL_SECONDS = 2.0
MIN_IN_FLIGHT = 4  # tasks sent ahead of the workers (at least; else two per worker thread)
LIBRARIES = ("numpy", "torch", "ipython")  # their versions can change a grade

_GRADING = threading.Lock()  # one grading at a time in a worker process (see the docstring)


class WorkerMismatch(Exception):
    """Raised on a worker whose environment differs from the one that sent the task."""


@cache
def environment() -> dict[str, str]:
    """What decides a grade on this machine: deepgrade's own source (a digest of every file of
    the package) and the versions of Python and of the libraries the kernel and tests use."""
    import deepgrade

    package = Path(deepgrade.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    env = {"deepgrade source": digest.hexdigest()[:16], "python": platform.python_version()}
    for name in LIBRARIES:
        env[name] = importlib.metadata.version(name)
    return env


def differences(theirs: dict[str, str], ours: dict[str, str]) -> str:
    """``torch 2.12.0 (here 2.13.0)``, for each entry that differs."""
    return ", ".join(f"{k} {theirs.get(k, '(missing)')} (here {v})" for k, v in ours.items()
                     if theirs.get(k) != v)


# ---- the wire: a report as plain data, and back ----------------------------------------------

def report_to_data(report: GradingReport) -> dict[str, Any]:
    """Everything of a report that grading produced, as JSON-like data; the questions and test
    cases are named, not copied (the receiving side has the same bundle)."""
    return {
        "homework": report.homework, "submission": report.submission,
        "questions": [[q.name, [[c.passed, c.message] for c in q.cases]]
                      for q in report.questions],
        "cells": [[c.index, c.ok, c.message] for c in report.cells],
        "notes": list(report.notes), "layers": list(report.layers),
        "seconds": report.seconds, "timings": dict(report.timings),
        "unreadable": report.unreadable, "grader_fault": report.grader_fault,
    }


def report_from_data(bundle: Bundle, data: dict[str, Any]) -> GradingReport:
    """The ``GradingReport`` that ``report_to_data`` described, against this side's ``bundle``."""
    from deepgrade.grade.runner import CaseResult, GradingReport, QuestionResult
    from deepgrade.grade.session import CellOutcome

    questions = {q.name: q for q in bundle.questions}
    results = []
    for name, cases in data["questions"]:
        question = questions[name]
        if len(cases) != len(question.cases):
            raise ValueError(f"{name}: {len(cases)} results for {len(question.cases)} cases")
        results.append(QuestionResult(question, [CaseResult(case, bool(passed), str(message))
                                                 for case, (passed, message)
                                                 in zip(question.cases, cases)]))
    return GradingReport(data["homework"], data["submission"], results,
                  [CellOutcome(int(i), bool(ok), str(m)) for i, ok, m in data["cells"]],
                  list(data["notes"]), list(data["layers"]), float(data["seconds"]),
                  dict(data["timings"]), bool(data["unreadable"]),
                  str(data.get("grader_fault", "")), sum(bundle.written.values()))


# ---- on a worker ------------------------------------------------------------------------------

def grade_task(bundle: Bundle, name: str, filename: str, notebook: bytes,
               expected: dict[str, str]) -> dict[str, Any]:
    """One submission, on a Dask worker: the notebook's bytes are graded as locally, from a
    private scratch folder, and the report comes back as plain data."""
    mine = environment()
    if mine != expected:
        raise WorkerMismatch(differences(mine, expected))
    from deepgrade.grade.batch import grade_one

    with _GRADING:
        folder = Path(tempfile.mkdtemp(prefix="deepgrade-task-"))
        try:
            path = folder / Path(filename).name
            path.write_bytes(notebook)
            report = grade_one(bundle, path, name)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return report_to_data(report)


# ---- on the grading side ---------------------------------------------------------------------

def connect(address: str) -> Client:
    """A client of the scheduler at ``address`` (``tcp://host:8786``, or a scheduler file)."""
    from distributed import Client
    from distributed.comm import parse_address, parse_host_port

    target = {"scheduler_file": address} if Path(address).is_file() else {"address": address}
    try:
        if "address" in target and parse_address(address)[0] in ("tcp", "tls"):
            # A refused connection is known at once; Dask would retry it until its timeout.
            socket.create_connection(parse_host_port(parse_address(address)[1]),
                                     timeout=CONNECT_SECONDS).close()
        return Client(**target, timeout=CONNECT_SECONDS)
    except Exception as exc:  # noqa: BLE001 - refused, timed out, or not a Dask scheduler
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise UserError(f"could not reach a Dask scheduler at {address} ({reason}); start one "
                        "with `dask scheduler` and pass its address (tcp://HOST:8786)") from None


def check_workers(client: Client, address: str) -> None:
    """Wait for a first worker; refuse workers with another environment; say when a worker's
    threads will wait (it grades one submission at a time)."""
    try:
        client.wait_for_workers(1, timeout=NO_WORKER_SECONDS)
    except TimeoutError:
        raise UserError(f"no Dask worker joined the scheduler at {address} within "
                        f"{NO_WORKER_SECONDS} s; start workers with `dask worker {address} "
                        "--nthreads 1`") from None
    ours = environment()
    for worker, theirs in client.run(environment, on_error="return").items():
        if isinstance(theirs, BaseException):
            raise UserError(f"Dask worker {worker} cannot run deepgrade ({type(theirs).__name__}:"
                            f" {theirs}); install deepgrade on it (see docs/cluster.md, "
                            "'Setting it up')")
        if theirs != ours:
            raise UserError(f"Dask worker {worker} runs other code than this machine: "
                            f"{differences(theirs, ours)}; install the same deepgrade commit "
                            "and `make release` on every worker")
    crowded = {w: n for w, n in client.nthreads().items() if n > 1}
    if crowded:
        print(f"deepgrade: note: {len(crowded)} worker(s) have more than one thread "
              f"({', '.join(f'{w}: {n}' for w, n in sorted(crowded.items())[:3])}); each grades "
              "one submission at a time, so start workers with --nthreads 1 and one process "
              "per core (--nworkers N)", file=sys.stderr)


def grade_many(bundle: Bundle, paths: Sequence[Path | None], address: str, progress: bool = False,
               names: list[str] | None = None,
               on_report: Callable[[int, GradingReport], object] | None = None
               ) -> list[GradingReport]:
    """Reports in the order of ``paths`` (``None``: a submission without a notebook), graded on
    the Dask cluster whose scheduler is at ``address``. Same contract as ``batch.grade_many``;
    ``on_report(i, report)`` is called as each submission's report arrives (in any order)."""
    from deepgrade.grade.batch import Progress, every_report, grade_one
    from deepgrade.grade.runner import failed_report

    names = names or [p.name if p else "(none)" for p in paths]
    bar = Progress(len(paths), progress)
    reports: list[GradingReport | None] = [None] * len(paths)
    with connect(address) as client:
        check_workers(client, address)
        # The bundle travels once: a task whose result workers fetch from each other; if every
        # worker holding it dies, the scheduler runs it again (data scattered would be lost).
        blob = pickle.dumps(bundle)
        shared = client.submit(pickle.loads, blob,
                               key=f"deepgrade-bundle-{hashlib.sha256(blob).hexdigest()[:16]}")
        batch, expected = uuid.uuid4().hex[:8], environment()
        queue = []
        for i, (path, name) in enumerate(zip(paths, names)):
            if path is None or not path.is_file():  # nothing to send: the report says why
                report = grade_one(bundle, path, name)
                reports[i] = report
                _arrived(i, report, bar, on_report)
            else:
                queue.append(i)
        queue.reverse()
        # Notebooks are sent as workers get free, a few ahead of them: the scheduler holds the
        # bytes of the tasks it has been given, and a class's notebooks can be gigabytes.
        futures: dict[Future, int] = {}
        pending: set[Future] = set()
        alone_since = None
        while queue or pending:
            threads = sum(client.nthreads().values())
            while queue and len(pending) < max(2 * threads, MIN_IN_FLIGHT):
                i = queue.pop()
                queued = paths[i]
                assert queued is not None  # only submissions with a notebook are queued
                future = client.submit(grade_task, shared, names[i], queued.name,
                                       queued.read_bytes(), expected,
                                       key=f"deepgrade-{bundle.homework}-{batch}-{i}")
                futures[future] = i
                pending.add(future)
            done, pending = _wait_some(pending)
            for future in done:
                i = futures.pop(future)
                report = _collect(future, bundle, names[i], address, failed_report)
                reports[i] = report
                _arrived(i, report, bar, on_report)
            if done or threads:
                alone_since = None
            else:
                alone_since = alone_since or time.monotonic()
                if time.monotonic() - alone_since > NO_WORKER_SECONDS:
                    left = len(pending) + len(queue)
                    raise UserError(f"every Dask worker left the scheduler at {address} and none "
                                    f"came back within {NO_WORKER_SECONDS} s; {left} "
                                    "submission(s) were not graded; start workers and run "
                                    "again", status=1)
    kinds = {tuple(r.layers) for r in reports if r is not None and r.layers}
    if len(kinds) > 1:  # each results.json names its own; say it once for the whole batch
        print(f"deepgrade: note: the workers sandboxed kernels with different layers: "
              f"{'; '.join(', '.join(k) for k in sorted(kinds))}", file=sys.stderr)
    return every_report(reports)


def _arrived(i: int, report: GradingReport, bar, on_report) -> None:
    bar.step()
    if on_report is not None:
        on_report(i, report)


def _wait_some(pending: set) -> tuple[set, set]:
    """Futures finished within a poll interval (possibly none), and the rest."""
    from distributed import wait

    try:
        done, rest = wait(pending, timeout=POLL_SECONDS, return_when="FIRST_COMPLETED")
    except TimeoutError:
        return set(), pending
    return set(done), set(rest)


def _collect(future: Future, bundle: Bundle, name: str, address: str,
             failed_report) -> GradingReport:
    """The report a finished task produced; a task that failed becomes a report with the reason,
    except a worker with other code, which stops the batch."""
    from distributed import KilledWorker

    if future.status == "finished":
        return report_from_data(bundle, future.result())
    exc = future.exception()
    if isinstance(exc, WorkerMismatch):
        raise UserError(f"a Dask worker of {address} runs other code than this machine: {exc}; "
                        "install the same deepgrade commit and `make release` on every worker")
    if isinstance(exc, KilledWorker):
        return failed_report(bundle, name, "the autograder crashed (its worker died on every "
                             "try); ask course staff to regrade")
    return failed_report(bundle, name, f"the autograder crashed ({type(exc).__name__}); ask "
                         "course staff to regrade")
