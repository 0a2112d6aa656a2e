"""The student's kernel as the grader sees it: a sandboxed worker and its data channel.

Kernels are forked by a zygote (zygote.py): one process per run, with a server per grader
process, started before the graders (a batch) or on first use.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deepgrade.grade import protocol
from deepgrade.grade.kernel import sandbox

STARTUP_SECONDS = 120.0
PR_SET_PDEATHSIG = 1


class KernelFault(Exception):
    """The kernel hung, died or broke the protocol; the message is for the student."""


class KernelTimeout(KernelFault):
    pass


class KernelDied(KernelFault):
    """The kernel is gone. ``unexplained``: a signal that no limit of the grader, no OOM killer
    and no crash of the student's code accounts for (a SIGKILL or SIGTERM from outside, or the
    student's code signalling itself): the grader runs that point again before charging it."""

    def __init__(self, message: str, unexplained: bool = False) -> None:
        super().__init__(message)
        self.unexplained = unexplained


# Signals a process gets from outside (an operator, a service manager, another grader): the
# student's code can send them to itself as well, so only a repeat at the same point is its own.
OUTSIDE_SIGNALS = frozenset({"SIGKILL", "SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT"})


class GraderFault(Exception):
    """The grader cannot keep its promises here (a sandbox layer failed, the launcher died):
    never the student's fault, so never a grade. The message is for staff."""


def _process_stats() -> dict[int, tuple[int, int, int]]:
    """``{pid: (parent pid, real uid, CPU ticks)}`` of every visible process, the ticks being
    its own (all threads) and those of the children it waited for."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
            # The real uid from status: /proc/PID itself belongs to root once a process has
            # changed its uid (it is no longer dumpable), as every kernel has.
            status = Path(f"/proc/{name}/status").read_text()
            uid = int(status.split("\nUid:", 1)[1].split()[0])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ": comm may hold spaces
        out[int(name)] = (int(fields[1]), uid, sum(int(f) for f in fields[11:15]))
    return out


def exposure_notes() -> list[str]:
    """Notes for results.json where this mode cannot keep protected files from the student's
    code (the documented policy: grade, and say so to staff in the log and the results)."""
    paths = sandbox.exposed(zygote().probed())
    if not paths:
        return []
    shown = ", ".join(paths[:3]) + (" ..." if len(paths) > 3 else "")
    message = (f"staff: in this sandbox mode the submitted code could read {shown} (no "
               "namespaces, no Landlock, and their permissions allow it); see docs/sandbox.md, "
               "'Sandbox modes'")
    if message not in _announced:
        _announced.add(message)
        print(f"deepgrade: WARNING: {message}", file=sys.stderr)
    return [message]


class Zygote:
    """A grader's handle on its server in the zygote (a SOCK_SEQPACKET control socket).

    ``start(count)`` starts one zygote process for ``count`` graders, one handle each."""

    def __init__(self, sock: socket.socket, process: subprocess.Popen | ForkedProcess,
                 siblings: list[Zygote]) -> None:
        self.sock, self.process = sock, process
        self.siblings = siblings  # every handle on this zygote process, this one included
        siblings.append(self)
        self.capabilities: sandbox.Capabilities | None = None
        self.server: int | None = None  # the pid of this grader's server, once it is ready
        self._creator = os.getpid()

    @classmethod
    def start(cls, count: int = 1, preload: list[str] | None = None) -> list[Zygote]:
        """A new zygote process (a fresh interpreter) for ``count`` graders; ``preload``: the
        zygote.PRELOADS it imports (None: all)."""
        import deepgrade

        pairs = [socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET) for _ in range(count)]
        theirs = [t.fileno() for _, t in pairs]
        env = zygote_env()
        env["PYTHONPATH"] = str(Path(deepgrade.__file__).parent.parent)
        extra = [] if preload is None else [f"--preload={','.join(preload)}"]
        process = subprocess.Popen(
            [sys.executable, "-m", "deepgrade.grade.kernel.zygote", *map(str, theirs), *extra],
            pass_fds=theirs, env=env, cwd="/", stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            preexec_fn=lambda: sandbox.prctl(PR_SET_PDEATHSIG, signal.SIGKILL),
        )
        for _, t in pairs:
            t.close()
        siblings: list[Zygote] = []
        return [cls(ours, process, siblings) for ours, _ in pairs]

    @classmethod
    def fork(cls, preload: list[str] | None = None) -> Zygote:
        """The zygote as a fork of this process, for one grader: the interpreter, numpy and
        torch this process has already imported are not paid for a second time (2 s of CPU,
        4 s of a Gradescope run at half a CPU).

        Only for a process that holds nothing a kernel may not see (call it before any bundle
        or submission is read: kernels are forked from the copy) and that was started with the
        kernels' interpreter settings (``forkable``)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = zygote_env()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the zygote: as Popen would have set it up in start()
            try:
                sandbox.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
                if os.getppid() != parent:  # the grader died before the line above
                    os._exit(1)
                os.setsid()
                ours.close()
                devnull = os.open("/dev/null", os.O_RDWR)
                for std in (0, 1, 2):
                    os.dup2(devnull, std)
                os.closerange(3, theirs.fileno())
                os.closerange(theirs.fileno() + 1, 65536)
                for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
                    signal.signal(sig, signal.SIG_DFL)
                os.chdir("/")
                os.environ.clear()
                os.environ.update(env)
                sys.dont_write_bytecode = True  # as PYTHONDONTWRITEBYTECODE in kernel_env
                atexit._clear()  # the grader's exit handlers are not the zygote's
                from deepgrade.grade.kernel import zygote as zygote_main

                extra = [] if preload is None else [f"--preload={','.join(preload)}"]
                zygote_main.main([str(theirs.fileno()), *extra])
            finally:
                os._exit(0)
        theirs.close()
        return cls(ours, ForkedProcess(pid), [])

    def _wait_ready(self) -> None:
        self.sock.settimeout(STARTUP_SECONDS)
        try:
            ready = json.loads(self.sock.recv(1 << 16) or b"{}")
        except (OSError, ValueError):
            ready = {}
        if not ready.get("ready"):
            self.close()
            raise GraderFault("the kernel launcher did not start")
        capabilities = sandbox.Capabilities.from_dict(ready["capabilities"])
        self.server = int(ready["pid"])
        announce(capabilities)
        self.sock.settimeout(60)
        self.capabilities = capabilities  # set last: it marks the handle ready

    def probed(self) -> sandbox.Capabilities:
        """What this machine allows the kernels (probed once, when the zygote started); waits
        for the zygote on first use, so the grader can work while it loads."""
        if self.capabilities is None:
            self._wait_ready()
        assert self.capabilities is not None
        return self.capabilities

    def request(self, message: dict[str, Any], fds: tuple[int, ...] = ()) -> dict[str, Any]:
        self.probed()
        socket.send_fds(self.sock, [json.dumps(message).encode()], list(fds))
        return json.loads(self.sock.recv(1 << 16))

    def alive(self) -> bool:
        if os.getpid() == self._creator and self.process.poll() is not None:
            return False
        # The server is the zygote's child, never ours; in a forked grader the zygote is not
        # our child either (Popen.poll() would see ECHILD and report it dead, status 0).
        try:
            os.kill(self.server or self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def close(self) -> None:
        """Close this grader's socket (its server then kills its kernels and exits); the zygote
        process exits when every server has, and its starter waits for that."""
        self.sock.close()
        if os.getpid() != self._creator or any(z.sock.fileno() >= 0 for z in self.siblings):
            return
        if all(z.capabilities is None for z in self.siblings):
            # Started early for a run that graded nothing (all resumed, say): still loading,
            # it has no kernel to stop, and waiting would cost its whole start-up.
            self.process.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def zygote_env() -> dict[str, str]:
    """The zygote's environment: a kernel's, with matplotlib's cache where it outlives a run."""
    from deepgrade.grade.kernel.zygote import matplotlib_cache

    env = sandbox.kernel_env(Path("/tmp"))
    cache = matplotlib_cache()
    if cache is not None:
        env["MPLCONFIGDIR"] = cache
    return env


class ForkedProcess:
    """What Zygote needs of a ``subprocess.Popen`` (pid, poll, kill, wait) for a zygote that
    is a fork of this process."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                done, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                done, status = self.pid, 0
            if done:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired("zygote", timeout or 0)
            time.sleep(0.01)
        return self.returncode or 0


def forkable() -> bool:
    """Whether this process may fork its zygote (Zygote.fork): it was started with the
    interpreter settings kernels need, which take effect only when an interpreter or a library
    starts (string hashing, the libraries' thread pools), as run_autograder starts it."""
    wanted = {k: v for k, v in sandbox.kernel_env(Path("/tmp")).items()
              if k in ("PYTHONHASHSEED", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                       "OPENBLAS_NUM_THREADS")}
    return all(os.environ.get(k) == v for k, v in wanted.items())


def start_early(preload: list[str] | None) -> None:
    """Start this process's zygote now, before anything secret is read, importing only
    ``preload``: forked from here when ``forkable()`` (the libraries imported here first, as
    the tests need most of them anyway), else a new process that loads while the grader
    works."""
    global _zygote
    if _zygote is not None:
        return
    if forkable():
        from deepgrade.grade.kernel.zygote import import_libraries

        # imported here, matplotlib reads its cache from this process's environment
        if "MPLCONFIGDIR" in (env := zygote_env()):
            os.environ.setdefault("MPLCONFIGDIR", env["MPLCONFIGDIR"])
        import_libraries(preload)
        _zygote = Zygote.fork(preload)
    else:
        _zygote = Zygote.start(1, preload)[0]
    atexit.register(_zygote.close)


_zygote: Zygote | None = None
_announced: set[str] = set()


def announce(caps: sandbox.Capabilities) -> None:
    """Tell staff once per process which sandbox mode grading runs in (stderr: the log)."""
    line = caps.describe()
    if line not in _announced:
        _announced.add(line)
        print(f"deepgrade: {line}", file=sys.stderr)
        if not caps.files_hidden:
            print("deepgrade: WARNING: without namespaces or Landlock the student's code can "
                  "read every file its user can read; hidden tests stay hidden only where their "
                  "permissions say so (see docs/sandbox.md, 'Sandbox modes')", file=sys.stderr)


def _forget_zygote_in_child() -> None:
    # A forked process (a grader of a batch) must not share its parent's zygote: it would read
    # replies meant for the parent. Its copy of the socket is closed; the parent's stays open.
    global _zygote
    if _zygote is not None:
        _zygote.sock.close()
        _zygote = None


os.register_at_fork(after_in_child=_forget_zygote_in_child)


def prestart(count: int) -> list[Zygote]:
    """Start the zygote now (it loads in the background) for ``count`` graders forked later."""
    return Zygote.start(count)


def adopt(mine: Zygote, others: list[Zygote]) -> None:
    """In a forked grader: use ``mine`` as this process's zygote server; drop the copies of the
    others' sockets (they belong to the other graders)."""
    global _zygote
    for z in others:
        if z is not mine:
            z.sock.close()
    _zygote = mine
    atexit.register(mine.close)


def zygote() -> Zygote:
    """This grader process's zygote, started (or restarted) on demand."""
    global _zygote
    if _zygote is None or not _zygote.alive():
        _zygote = Zygote.start(1)[0]
        atexit.register(_zygote.close)
    return _zygote


@dataclass
class Kernel:
    """One worker; ``request`` sends an op and waits for its reply until a deadline."""

    workdir: Path
    memory_mb: int
    cpu_seconds: int = 3600
    pid: int | None = None
    uid: int | None = None
    layers: list[str] = field(default_factory=list)
    _to_kernel: int = -1
    _from_kernel: int = -1
    _oom_kills: int | None = None  # the memory cgroup's OOM-kill count when this kernel started

    def start(self) -> None:
        """Fork a sandboxed kernel. Raises GraderFault when the sandbox cannot be built (never
        the student's doing: no student code has run in this kernel yet)."""
        launcher = zygote()
        caps = launcher.probed()
        try:
            plan = sandbox.plan(self.workdir, self.memory_mb, self.cpu_seconds, caps)
        except (sandbox.SandboxError, OSError) as exc:
            raise GraderFault(f"sandbox ({caps.mode} mode): {exc}") from None
        self.uid = plan.uid
        self._oom_kills = sandbox.oom_kills()
        grader_read, kernel_write = os.pipe()
        kernel_read, grader_write = os.pipe()
        try:
            reply = launcher.request({"op": "spawn", "plan": plan.to_dict()},
                                     (kernel_read, kernel_write))
        finally:
            os.close(kernel_read)
            os.close(kernel_write)
        self.pid = reply.get("pid")
        # Non-blocking, so that every write can end at a deadline: a kernel that stops reading
        # (SIGSTOP uses no CPU, so no CPU limit fires) must not block the grader for ever.
        os.set_blocking(grader_write, False)
        self._to_kernel, self._from_kernel = grader_write, grader_read
        try:
            ready = protocol.read_message(self._from_kernel, time.monotonic() + STARTUP_SECONDS)
        except protocol.ProtocolError as exc:
            self.stop()
            raise GraderFault(f"the Python kernel did not start ({exc}); {caps.describe()}") \
                from None
        if not (isinstance(ready, dict) and ready.get("ready")):
            self.stop()
            error = ready.get("error") if isinstance(ready, dict) else None
            raise GraderFault(f"the Python kernel did not start: {error or 'no reason given'} "
                              f"({caps.mode} mode)")
        self.layers = [str(x) for x in ready.get("layers", [])] + ["subreaper"]

    def request(self, message: dict[str, Any], deadline: float) -> dict[str, Any]:
        """Send ``message``; return the reply dict. Both directions end at ``deadline``
        (``time.monotonic()``). Raises KernelTimeout or KernelDied (the caller then stops this
        kernel), or protocol.TooComplex for a reply refused whole (the kernel is still usable)."""
        if self.pid is None:
            raise KernelDied("the kernel is not running")
        try:
            protocol.write_message(self._to_kernel, message, deadline)
            reply = protocol.read_message(self._from_kernel, deadline)
        except protocol.PeerTimeout:
            raise KernelTimeout("time limit exceeded") from None
        except (protocol.PeerClosed, BrokenPipeError):
            raise self._death() from None
        except protocol.TooComplex:
            raise
        except protocol.ProtocolError as exc:
            raise KernelDied(f"the kernel sent an invalid message ({exc})") from None
        if type(reply) is not dict:
            raise KernelDied("the kernel sent an invalid message")
        return reply

    def _death(self) -> KernelDied:
        """Why the kernel died, read from its exit status and the OOM counters."""
        status = None
        for _ in range(20):  # the zygote reaps it a moment after the channel closes
            status = zygote().request({"op": "status", "pid": self.pid}).get("status")
            if status is not None:
                break
            time.sleep(0.05)
        if status is None:
            return KernelDied("the kernel closed its channel to the grader")
        if status < 128:
            return KernelDied(f"the kernel exited with status {status}")
        name = signal.Signals(status - 128).name
        if name == "SIGXCPU":
            return KernelDied("the kernel used up its CPU-time limit")
        kills = sandbox.oom_kills()
        if name == "SIGKILL" and kills is not None and self._oom_kills is not None \
                and kills > self._oom_kills:
            return KernelDied("the kernel ran out of memory (the machine's memory limit "
                              "stopped it)")
        if name == "SIGKILL":
            return KernelDied("the kernel was killed (SIGKILL)", unexplained=True)
        return KernelDied(f"the kernel died from signal {name}",
                          unexplained=name in OUTSIDE_SIGNALS)

    def cpu_used(self) -> float:
        """The kernel's CPU seconds so far: every process of its tree and of its uid (the worker
        under its PID-namespace parents, whatever it started that still runs) with all their
        threads, and the children they waited for. Read by the grader from /proc, not asked of
        the kernel: student code shares the worker's process and could make it say anything."""
        if self.pid is None:
            raise KernelDied("the kernel is not running")
        stats = _process_stats()
        children: dict[int, list[int]] = {}
        for pid, (ppid, _, _) in stats.items():
            children.setdefault(ppid, []).append(pid)
        mine, todo = set(), [self.pid]
        while todo:
            pid = todo.pop()
            if pid in stats and pid not in mine:
                mine.add(pid)
                todo += children.get(pid, [])
        if self.pid not in mine:
            raise KernelDied("the kernel is not running")
        mine |= {pid for pid, (_, uid, _) in stats.items() if uid == self.uid is not None}
        return sum(stats[pid][2] for pid in mine) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Kill the worker and every process it started, then close the channel."""
        if self.pid is not None:
            try:
                zygote().request({"op": "kill", "pid": self.pid, "uid": self.uid,
                                  "keep": str(self.workdir)})
            except OSError:
                pass
            self.pid = None
        for fd in (self._to_kernel, self._from_kernel):
            if fd >= 0:
                os.close(fd)
        self._to_kernel = self._from_kernel = -1
