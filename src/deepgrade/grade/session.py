"""One submission's kernel over its lifetime: run the cells, survive faults, serve the tests.

A cell that hangs or kills the kernel is reported and skipped: the kernel is restarted and the
cells that had succeeded are replayed, so the student keeps the credit of everything the fault
did not touch. A test that hangs or kills the kernel is handled the same way.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from deepgrade.grade import protocol
from deepgrade.grade.kernel import Kernel, KernelDied, KernelFault, KernelTimeout
from deepgrade.grade.proxy import (Remote, StudentError, function_source,
                                   referenced_globals)
from deepgrade.project import Budgets


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
    _workdir: Path | None = None
    _deadline: float = 0.0  # deadline of the current test, used by ask()
    _broken: str | None = None  # set when the kernel cannot be brought back

    # -- lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> Session:
        self._workdir = Path(tempfile.mkdtemp(prefix="deepgrade-kernel-"))
        for name, data in self.support_files.items():
            (self._workdir / name).write_bytes(data)
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

    def _restart_and_replay(self) -> None:
        """New kernel, then re-run every cell that had succeeded, in order."""
        if self.kernel is not None:
            self.kernel.stop()
        try:
            self._start()
            for index, source in self.cells_ok:
                deadline = time.monotonic() + self.budgets.cell_seconds
                reply = self.kernel.request({"op": "run_cell", "source": source}, deadline)
                if not reply.get("ok"):
                    raise KernelDied(f"cell {index} failed when it was run again")
        except KernelFault as exc:
            self._broken = f"the kernel could not be restarted after a fault ({exc})"

    # -- the notebook -------------------------------------------------------------------------
    def run_cells(self, cells: list[tuple[int, str]]) -> None:
        """Run code cells ``(index, source)`` in order within the notebook and cell budgets."""
        notebook_deadline = time.monotonic() + self.budgets.notebook_seconds
        for index, source in cells:
            if self._broken:
                self.outcomes.append(CellOutcome(index, False, self._broken))
                continue
            now = time.monotonic()
            if now >= notebook_deadline:
                self.outcomes.append(CellOutcome(
                    index, False, f"not run: the notebook used up its "
                    f"{self.budgets.notebook_seconds:.0f} s time limit"))
                continue
            deadline = min(now + self.budgets.cell_seconds, notebook_deadline)
            try:
                reply = self.kernel.request({"op": "run_cell", "source": source}, deadline)
            except KernelTimeout:
                limit = min(self.budgets.cell_seconds, notebook_deadline - now)
                self.outcomes.append(CellOutcome(
                    index, False, f"stopped after {limit:.0f} s (time limit); skipped"))
                self._restart_and_replay()
                continue
            except KernelDied as exc:
                self.outcomes.append(CellOutcome(index, False, f"{exc}; skipped"))
                self._restart_and_replay()
                continue
            if reply.get("ok"):
                self.cells_ok.append((index, source))
                self.outcomes.append(CellOutcome(index, True))
            else:
                error = str(reply.get("error", "error"))[:300]
                line = reply.get("line")
                where = f" (line {line})" if type(line) is int else ""
                if error.startswith("MemoryError"):
                    # What the cell allocated may still be held (a global list): a fresh kernel
                    # with the good cells replayed keeps the rest of the notebook safe.
                    self.outcomes.append(CellOutcome(
                        index, False, f"ran out of memory (MemoryError{where}); skipped"))
                    self._restart_and_replay()
                    continue
                self.outcomes.append(CellOutcome(index, False, f"raised {error}{where}"))

    # -- serving the tests --------------------------------------------------------------------
    def begin_test(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds

    def recover(self) -> None:
        """After a test's timeout or crash: bring the kernel back for the next test."""
        self._restart_and_replay()

    def ask(self, message: dict[str, Any], label: str) -> Any:
        if self._broken:
            raise StudentError(self._broken)
        try:
            reply = self.kernel.request(message, self._deadline)
        except KernelTimeout:
            raise KernelTimeout(f"{label} did not finish within the test's time limit") from None
        except KernelDied as exc:
            raise KernelDied(f"{label}: {exc}") from None
        if "error" in reply:
            raise StudentError(f"{label} raised {str(reply['error'])[:300]}")
        if "missing" in reply:
            raise StudentError(f"{label} is not defined in your notebook")
        if "value" not in reply:
            raise KernelDied(f"{label}: the kernel sent an invalid reply")
        return self.decode(reply["value"], label)

    def run_source(self, source: str, label: str = "a calibration cell") -> None:
        """Run extra code in the kernel (calibration), within the current test deadline."""
        if self._broken:
            raise StudentError(self._broken)
        reply = self.kernel.request({"op": "run_cell", "source": source}, self._deadline)
        if not reply.get("ok"):
            raise StudentError(f"{label} raised {str(reply.get('error'))[:300]}")

    def usage(self) -> dict[str, float]:
        """The kernel's CPU seconds and peak memory so far."""
        return self.ask({"op": "usage"}, "usage")

    def get_global(self, name: str) -> Any:
        return self.ask({"op": "get", "name": name}, name)

    def decode(self, value: Any, label: str) -> Any:
        def on_handle(handle: dict[str, Any]) -> Remote:
            return Remote(self, handle, label.removesuffix("(...)") if "(" not in label else label)
        try:
            return protocol.decode(value, on_handle=on_handle)
        except protocol.ProtocolError as exc:
            raise StudentError(f"{label} returned a value the grader cannot read ({exc})") from None

    def encode(self, value: Any, depth: int = 0) -> Any:
        """Grader data to the wire: arrays, tensors, containers, handles, test functions."""
        if depth > protocol.MAX_DEPTH - 2:
            raise ValueError("argument nested too deeply")
        if value is None or type(value) in (bool, int, float, str):
            return value
        if isinstance(value, Remote):
            return {"__handle__": object.__getattribute__(value, "_id")}
        if isinstance(value, types.FunctionType):
            return self.encode_function(value, depth)
        if isinstance(value, np.generic):
            return value.item()
        if isinstance(value, np.ndarray):
            return protocol.encode_array(value)
        torch = sys.modules.get("torch")  # a test can only hold a tensor if torch is loaded
        if torch is not None and isinstance(value, torch.Tensor):
            return protocol.encode_array(value.detach().cpu().numpy(), torch=True)
        encoded = protocol.encode_container(value, lambda v: self.encode(v, depth + 1))
        if encoded is not NotImplemented:
            return encoded
        raise TypeError(f"the grader cannot send a {type(value).__name__} to student code")

    def encode_function(self, fn: types.FunctionType, depth: int) -> dict[str, Any]:
        """A test's function as its source plus the test data it reads (arrays, numbers...).

        Modules the test uses (np, torch, math) exist on the student side already; every other
        global the function reads must itself be data, a student handle or a test function.
        """
        source, name = function_source(fn)
        env = {}
        scope = fn.__globals__
        for ref in sorted(referenced_globals(fn.__code__)):
            if ref in ("np", "numpy", "torch", "math") or not dict.__contains__(scope, ref):
                continue
            value = dict.__getitem__(scope, ref)
            if isinstance(value, types.ModuleType):
                continue
            env[ref] = self.encode(value, depth + 1)
        return {"__fn__": source, "name": name, "env": env}
