"""The student's kernel as the grader sees it: a sandboxed worker process and a data channel."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from deepgrade.grade import protocol, sandbox

STARTUP_SECONDS = 60.0


class KernelFault(Exception):
    """The kernel hung, died or broke the protocol; the message is for the student."""


class KernelTimeout(KernelFault):
    pass


class KernelDied(KernelFault):
    pass


@dataclass
class Kernel:
    """One worker process; ``request`` sends an op and waits for its reply until a deadline."""

    workdir: Path
    memory_mb: int
    process: subprocess.Popen | None = None
    layers: list[str] = field(default_factory=list)
    _to_kernel: int = -1
    _from_kernel: int = -1
    _known_children: set[int] = field(default_factory=set)

    def start(self) -> None:
        sandbox.become_subreaper()
        self._known_children = {c.pid for c in psutil.Process().children()}
        grader_read, kernel_write = os.pipe()
        kernel_read, grader_write = os.pipe()
        spec = sandbox.prepare(self.workdir, memory_mb=self.memory_mb)
        self.layers = spec.layers
        try:
            self.process = subprocess.Popen(
                spec.wrap([sys.executable, "-m", "deepgrade.grade.worker",
                           str(kernel_read), str(kernel_write)]),
                pass_fds=(kernel_read, kernel_write), cwd=self.workdir, env=spec.env,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True, preexec_fn=spec.preexec,
            )
        finally:
            os.close(kernel_read)
            os.close(kernel_write)
        self._to_kernel, self._from_kernel = grader_write, grader_read
        try:
            reply = protocol.read_message(self._from_kernel, time.monotonic() + STARTUP_SECONDS)
        except protocol.ProtocolError as exc:
            self.stop()
            raise KernelDied(f"the Python kernel did not start ({exc})") from None
        if reply != {"ready": True}:
            self.stop()
            raise KernelDied("the Python kernel did not start")

    def request(self, message: dict[str, Any], deadline: float) -> dict[str, Any]:
        """Send ``message``; return the reply dict. Raises KernelTimeout or KernelDied."""
        if self.process is None:
            raise KernelDied("the kernel is not running")
        try:
            protocol.write_message(self._to_kernel, message)
            reply = protocol.read_message(self._from_kernel, deadline)
        except protocol.PeerTimeout:
            raise KernelTimeout("time limit exceeded") from None
        except (protocol.PeerClosed, BrokenPipeError):
            raise KernelDied(self._death_reason()) from None
        except protocol.ProtocolError as exc:
            raise KernelDied(f"the kernel sent an invalid message ({exc})") from None
        if type(reply) is not dict:
            raise KernelDied("the kernel sent an invalid message")
        return reply

    def _death_reason(self) -> str:
        assert self.process is not None
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "the kernel closed its channel to the grader"
        if code < 0:
            name = signal.Signals(-code).name
            if name == "SIGKILL":
                return "the kernel was killed (SIGKILL), most often for using too much memory"
            return f"the kernel died from signal {name}"
        return f"the kernel exited with status {code}"

    def stop(self) -> None:
        """Kill the worker and every process it started, then close the channel."""
        if self.process is not None:
            kill_tree(self.process.pid, spare=self._known_children)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            self.process = None
        for fd in (self._to_kernel, self._from_kernel):
            if fd >= 0:
                os.close(fd)
        self._to_kernel = self._from_kernel = -1


def kill_tree(pid: int, spare: set[int] = frozenset()) -> None:
    """SIGKILL ``pid``, its process group and all its descendants (found before killing).

    The grader is a child subreaper (see sandbox.become_subreaper), so daemons that double-fork
    are re-parented to us and still show up as our descendants.
    """
    victims: set[int] = {pid}
    try:
        parent = psutil.Process(pid)
        victims.update(p.pid for p in parent.children(recursive=True))
    except psutil.NoSuchProcess:
        pass
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for victim in victims:
        try:
            os.kill(victim, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    reap_orphans(spare)


def reap_orphans(spare: set[int] = frozenset()) -> None:
    """Kill and reap processes re-parented to the grader (escaped daemons), sparing ``spare``.

    ``spare`` holds the grader's own children from before the kernel started.
    """
    me = psutil.Process()
    for _ in range(50):
        children = [c for c in me.children() if c.pid not in spare]
        children += [d for c in children for d in c.children(recursive=True)]
        if not children:
            return
        for child in children:
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(children, timeout=0.2)
