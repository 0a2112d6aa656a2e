"""One submission's kernel over its lifetime: run the cells, survive faults, serve the tests.

A cell that hangs or kills the kernel is reported and skipped: the kernel is restarted and the
cells that had succeeded are replayed, so the student keeps the credit of everything the fault
did not touch. A test that hangs or kills the kernel is handled the same way. The whole
submission (cells, replays, tests) has one wall-clock budget, and the kernel is restarted at most
``Budgets.max_restarts`` times: past the time, what is left is not run, with a reason. Past the
restarts, the rest of the question (or of the cells) at hand is not run, and each question after
it still gets one fresh kernel of its own: one crashing function costs its own question, never
the questions after it, and a submission that crashes everywhere costs at most
``max_restarts`` + one restart per question.

The session speaks in wire values (protocol.py); turning them into the grader's data and proxies
is proxy.py's work.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deepgrade.grade import protocol
from deepgrade.grade.bundle import write_support_files
from deepgrade.grade.kernel import GraderFault, Kernel, KernelDied, KernelFault, KernelTimeout
from deepgrade.grade.messages import one_line
from deepgrade.project import Budgets


class StudentError(Exception):
    """Student code raised, or a student name is missing; the message is for the student."""


# Kernels killed from outside (points where an unexplained death did not happen again when run
# in a fresh kernel) before the grader stops trusting the machine: past this, no score is a grade.
MAX_OUTSIDE_KILLS = 2


@dataclass
class CellOutcome:
    index: int  # 1-based position among the notebook's cells, as Jupyter users count
    ok: bool
    message: str = ""


@dataclass
class Session:
    """Owns the kernel for one submission; hidden tests reach the student through it."""

    budgets: Budgets
    support_files: dict[str, bytes] = field(default_factory=dict)
    kernel: Kernel | None = None
    cells_ok: list[tuple[int, str]] = field(default_factory=list)
    outcomes: list[CellOutcome] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    restarts: int = 0
    # Incremented by every restart: a handle (proxy.Remote) from an earlier kernel names an
    # object that no longer exists, or worse, whatever the new kernel has at the same address.
    generation: int = 0
    _workdir: Path | None = None
    _deadline: float = 0.0  # deadline of the current test, used by ask()
    _end: float = float("inf")  # the submission's total wall-clock budget runs out here
    _broken: str | None = None  # set when the kernel cannot (or may not) be brought back
    _capped: bool = False  # _broken only because the restarts are used up (begin_question)
    _spare: bool = False  # the question at hand may still bring the kernel back once past the cap
    # Points (a cell, a test case) where the kernel died from a signal nothing explained, and the
    # ones of them where it died again when run in a fresh kernel (the student's own code).
    _suspect: list[str] = field(default_factory=list)
    _repeated: set[str] = field(default_factory=set)
    _outside: list[str] = field(default_factory=list)  # suspects that ran through when retried
    notes: list[str] = field(default_factory=list)  # for the student: points that were run again

    # -- lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> Session:
        self._end = time.monotonic() + self.budgets.total_seconds
        self._workdir = Path(tempfile.mkdtemp(prefix="deepgrade-kernel-"))
        write_support_files(self.support_files, self._workdir)
        try:
            self._start()
        except BaseException:  # a kernel that never started leaves no folder behind
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.kernel is not None:
            self.kernel.stop()
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)

    def _start(self) -> None:
        assert self._workdir is not None
        # CPU-time backstop: the wall-clock budgets are enforced by the grader itself.
        cpu = int(self.budgets.notebook_seconds * 2 + 600)
        self.kernel = Kernel(self._workdir, memory_mb=self.budgets.memory_mb, cpu_seconds=cpu)
        self.kernel.start()
        self.layers = self.kernel.layers

    def _running(self) -> Kernel:
        """The kernel: set by ``__enter__`` (and each restart), never unset."""
        assert self.kernel is not None, "a Session is used inside `with`"
        return self.kernel

    def _out_of_time(self) -> str | None:
        if time.monotonic() < self._end:
            return None
        return (f"not run: grading this submission used up its total time limit of "
                f"{self.budgets.total_seconds:.0f} s (cells, their replays after faults, tests)")

    def should_retry(self, exc: KernelDied, point: str) -> bool:
        """Whether the death ``exc`` at ``point`` is run again in a fresh kernel before anything
        is charged: yes for a death nothing explains, the first time at that point. A second
        death at the same point is the student's code (its own signal, sent again)."""
        if not exc.unexplained:
            return False
        if point in self._suspect:
            self._repeated.add(point)
            return False
        self._suspect.append(point)
        return True

    def settle(self, point: str) -> None:
        """``point`` ran to its end: if it had died unexplained before, that kill came from
        outside. Kills from outside at more than MAX_OUTSIDE_KILLS points mean this machine
        cannot grade: a GraderFault (not graded, never a failed test)."""
        if point not in self._suspect or point in self._repeated or point in self._outside:
            return
        self._outside.append(point)
        if len(self._outside) > MAX_OUTSIDE_KILLS:
            raise GraderFault(f"the kernel was killed from outside at {len(self._outside)} "
                              f"points ({'; '.join(self._outside)}): another process on this "
                              "machine kills kernels (a grader sharing their uid, an operator)")
        self.notes.append(f"{point}: the kernel was killed by something outside your code; it "
                          "was run again in a fresh kernel, and the score is from that run")

    def _restart_and_replay(self, counted: bool = True) -> None:
        """New kernel, then re-run every cell that had succeeded, in order. Replays count
        against the total budget, and restarts against ``max_restarts`` unless the restart
        follows a kill from outside (``counted=False``: not the student's doing)."""
        if self.kernel is not None:
            self.kernel.stop()
        self.generation += 1
        if self._out_of_time():
            self._broken = self._out_of_time()
            return
        if counted and self.restarts >= self.budgets.max_restarts and not self._spare:
            times = "once" if self.restarts == 1 else f"{self.restarts} times"
            self._broken = (f"not run: the kernel had already been restarted {times} after "
                            f"faults (at most {self.budgets.max_restarts} for one submission, "
                            "then one fresh kernel for each later question)")
            self._capped = True
            return
        if counted and self.restarts >= self.budgets.max_restarts:
            self._spare = False  # this question's one restart past the cap
        self.restarts += counted
        point = "the replay of the cells"
        try:
            self._start()
            for index, source in self.cells_ok:
                point = f"the replay of cell {index}"
                if self._out_of_time():
                    raise KernelTimeout("out of time")
                deadline = min(time.monotonic() + self.budgets.cell_seconds, self._end)
                reply = self._running().request({"op": "run_cell", "source": source}, deadline)
                if not reply.get("ok"):
                    raise KernelDied(f"cell {index} failed when it was run again")
        except KernelDied as exc:
            if self.should_retry(exc, point):
                self._restart_and_replay(counted=False)
                if not self._broken:
                    self.settle(point)
                return
            self._broken = self._out_of_time() or \
                f"the kernel could not be restarted after a fault ({exc})"
        except KernelFault as exc:
            self._broken = self._out_of_time() or \
                f"the kernel could not be restarted after a fault ({exc})"

    def begin_question(self) -> None:
        """A question's tests start: past the restart cap, the question gets one restart of its
        own, spent at once on a kernel the cells or an earlier question left stopped (a fault is
        charged to the question whose code caused it, not to the ones after)."""
        self._spare = True
        if self._capped:
            self._broken, self._capped = None, False
            self._restart_and_replay()

    # -- the notebook -------------------------------------------------------------------------
    def run_cells(self, cells: list[tuple[int, str]]) -> None:
        """Run code cells ``(index, source)`` in order within the notebook and cell budgets."""
        notebook_deadline = min(time.monotonic() + self.budgets.notebook_seconds, self._end)
        for index, source in cells:
            if self._broken:
                self.outcomes.append(CellOutcome(index, False, self._broken))
                continue
            now = time.monotonic()
            if now >= notebook_deadline:
                self.outcomes.append(CellOutcome(
                    index, False, self._out_of_time() or f"not run: the notebook used up its "
                    f"{self.budgets.notebook_seconds:.0f} s time limit"))
                continue
            deadline = min(now + self.budgets.cell_seconds, notebook_deadline)
            try:
                reply = self._run_cell(index, source, deadline)
            except KernelTimeout:
                why = "time limit" if deadline < self._end else (
                    f"grading this submission used up its total time limit of "
                    f"{self.budgets.total_seconds:.0f} s")
                self.outcomes.append(CellOutcome(
                    index, False, f"stopped after {deadline - now:.0f} s ({why}); skipped"))
                self._restart_and_replay()
                continue
            except KernelDied as exc:
                self.outcomes.append(CellOutcome(index, False, f"{one_line(exc)}; skipped"))
                self._restart_and_replay()
                continue
            except protocol.TooComplex:  # a cell's reply is {"ok": ...}: only a forged one is big
                reply = {"ok": False, "error": "the kernel's reply was refused (too large)"}
            if reply.get("ok"):
                self.cells_ok.append((index, source))
                self.outcomes.append(CellOutcome(index, True))
            else:
                line = reply.get("line")
                where = f" (line {line})" if type(line) is int else ""
                error = one_line(reply.get("error", "error"))
                if error.startswith("MemoryError"):
                    # What the cell allocated may still be held (a global list): a fresh kernel
                    # with the good cells replayed keeps the rest of the notebook safe.
                    self.outcomes.append(CellOutcome(
                        index, False, f"ran out of memory (MemoryError{where}); skipped"))
                    self._restart_and_replay()
                    continue
                self.outcomes.append(CellOutcome(index, False, f"raised {error}{where}"))

    def _run_cell(self, index: int, source: str, deadline: float) -> dict[str, Any]:
        """One cell's reply; a cell whose kernel was killed from outside is run once more in a
        fresh kernel (with the cells before it replayed) before its death is charged."""
        point = f"cell {index}"
        while True:
            try:
                reply = self._running().request({"op": "run_cell", "source": source}, deadline)
            except KernelDied as exc:
                if not self.should_retry(exc, point):
                    raise
                self._restart_and_replay(counted=False)
                if self._broken:
                    raise KernelDied(self._broken) from None
                deadline = max(deadline, min(time.monotonic() + self.budgets.cell_seconds,
                                             self._end))
                continue
            self.settle(point)
            return reply

    # -- serving the tests --------------------------------------------------------------------
    def begin_test(self, seconds: float) -> None:
        self._deadline = min(time.monotonic() + seconds, self._end)

    def recover(self, counted: bool = True) -> None:
        """After a test's timeout or crash: bring the kernel back for the next test (or for the
        same test again, uncounted, after a kill from outside)."""
        self._restart_and_replay(counted)

    def ask(self, message: dict[str, Any], label: str) -> Any:
        """Send one request; return the reply's wire value (see proxy.decode). A student's
        exception or a refused value is a StudentError; a hang or crash, a KernelFault."""
        if self._broken:
            raise StudentError(self._broken)
        late = self._out_of_time()
        if late:
            raise StudentError(late)
        try:
            reply = self._running().request(message, self._deadline)
        except KernelTimeout:
            raise KernelTimeout(self._out_of_time() or
                                f"{label} did not finish within the test's time limit") from None
        except KernelDied as exc:
            raise KernelDied(f"{label}: {exc}", exc.unexplained) from None
        except protocol.TooComplex as exc:
            raise StudentError(f"{label} returned a value too large or complex for the grader "
                               f"({exc}): return a NumPy array or a tensor") from None
        if "error" in reply:
            error = one_line(reply["error"])
            if message.get("op") == "getattr" and error.startswith("AttributeError"):
                # An attribute the contract names is missing: most often an unfinished __init__.
                raise StudentError(f"{label} raised {error}: did you finish the class (its "
                                   f"__init__ must set self.{one_line(message.get('name'), 60)})?")
            raise StudentError(f"{label} raised {error}")
        if "missing" in reply:
            raise StudentError(f"{label} is not defined in your notebook")
        if "value" not in reply:
            raise KernelDied(f"{label}: the kernel sent an invalid reply")
        return reply["value"]

    def run_source(self, source: str, label: str = "a calibration cell") -> None:
        """Run extra code in the kernel (calibration), within the current test deadline."""
        if self._broken:
            raise StudentError(self._broken)
        reply = self._running().request({"op": "run_cell", "source": source}, self._deadline)
        if not reply.get("ok"):
            raise StudentError(f"{label} raised {one_line(reply.get('error'))}")

    def cpu_seconds(self) -> float:
        """The kernel's CPU seconds so far, measured from outside it (checks.timing)."""
        if self._broken:
            raise StudentError(self._broken)
        return self._running().cpu_used()

    def usage(self, label: str = "usage") -> dict[str, float]:
        """The kernel's CPU seconds and peak memory so far. ``label`` names the request in a
        failure message (a kernel stopped before a timed call: the call is what did not finish)."""
        value = self.ask({"op": "usage"}, label)
        if not (isinstance(value, dict) and
                all(type(value.get(k)) in (int, float) for k in ("cpu_seconds", "maxrss_mb"))):
            raise KernelDied(f"{label}: the kernel sent an invalid reply")
        return value
