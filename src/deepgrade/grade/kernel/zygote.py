"""A clean parent for kernels: imports the heavy libraries once, then forks one per submission.

Starting Python and importing torch costs about 2 s; forking this process costs milliseconds.
The zygote is started before any submission is read and never runs student code or holds test
data: it only imports libraries, forks, and kills. Each forked child sandboxes itself
(sandbox.py) and becomes a worker (worker.py).

Control messages (framed JSON, protocol.py) arrive on a Unix socket from the grader; a "spawn"
request carries the kernel's two pipe ends as passed file descriptors.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import sys
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")  # no thread pools before fork


def preload() -> None:
    """Import what kernels need before any student code exists (never after)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401
    import torch
    from IPython.core.interactiveshell import InteractiveShell  # noqa: F401

    torch.set_num_threads(1)
    # The first optimizer a notebook builds imports torch._dynamo (about 800 modules, 1.5 s of
    # CPU): once here instead of in every kernel that trains a model.
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])
    # The shell is created here, before any student code exists, so each kernel inherits a
    # ready one (its namespace is still empty) instead of building it after the fork.
    from deepgrade.grade.kernel import worker

    worker.make_shell()
    # Everything allocated so far is shared with every kernel; freezing it keeps the garbage
    # collector from touching (and so copying) those pages in each forked kernel.
    gc.collect()
    gc.freeze()


SYS_CLONE_X86_64 = 56
CLONE_NAMESPACES = 0x00020000 | 0x20000000 | 0x40000000 | 0x08000000 | 0x04000000  # NS PID NET IPC UTS


def fork_into_namespaces() -> int | None:
    """fork(), the child starting in new mount, PID, network, IPC and UTS namespaces as their
    PID 1; None where that is not allowed (or not x86-64). One copy of this process fewer per
    kernel than unshare() in a child and a fork after it (each copy costs about 20 ms of CPU).

    Done as CPython's os.fork does it (PyOS_BeforeFork, the system call with the GIL held,
    PyOS_AfterFork_*), with clone's flags; the zygote is single-threaded.
    """
    import ctypes
    import ctypes.util
    import platform

    if platform.machine() != "x86_64":
        return None
    libc = ctypes.PyDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.syscall.restype = ctypes.c_long
    api = ctypes.pythonapi
    api.PyOS_BeforeFork()
    pid = libc.syscall(ctypes.c_long(SYS_CLONE_X86_64),
                       ctypes.c_ulong(CLONE_NAMESPACES | signal.SIGCHLD),
                       ctypes.c_void_p(0), ctypes.c_void_p(0), ctypes.c_void_p(0),
                       ctypes.c_ulong(0))
    if pid == 0:
        api.PyOS_AfterFork_Child()
        return 0
    api.PyOS_AfterFork_Parent()
    return pid if pid > 0 else None


def become_kernel(plan: dict[str, Any], fd_in: int, fd_out: int,
                  in_namespaces: bool = False) -> None:
    """In the forked child: sandbox this process, then serve as a worker. Never returns.

    ``in_namespaces``: this process is already PID 1 of new namespaces (fork_into_namespaces).
    """
    from deepgrade.grade.kernel import sandbox
    from deepgrade.grade.kernel.worker import Worker

    p = sandbox.SandboxPlan(**plan)
    layers = ["session", "limits"]
    try:
        # Nothing the zygote had open may reach student code: only stdio and the channel stay.
        low, high = sorted((fd_in, fd_out))
        os.closerange(3, low)
        os.closerange(low + 1, high)
        os.closerange(high + 1, 65536)
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        namespaces = []
        if in_namespaces:
            namespaces = sandbox.private_mounts()
        elif p.uid is not None:
            try:
                namespaces = sandbox.enter_namespaces(p)
            except OSError:  # not allowed here (Docker's default capabilities): uid and limits
                pass
        if namespaces:
            layers += namespaces
            root = sandbox.build_root(p)
            # K1, PID 1 of the new namespace, waits for K2, the worker (K0, when the namespaces
            # were entered here with unshare, waits for K1 first). The worker is not PID 1
            # itself: PID 1 ignores signals it has no handler for, and orphans in the namespace
            # are re-parented to it and must be reaped.
            if not in_namespaces:
                _wait_as(os.fork(), fd_in, fd_out)
            sandbox.finish_in_namespace(root)
            _wait_as(os.fork(), fd_in, fd_out, reap_all=True)
        os.chdir(p.workdir)
        sys.path.insert(0, "")  # as in Jupyter: modules beside the notebook import
        os.environ.clear()
        os.environ.update(p.env)
        sandbox.apply_limits(p)
        if p.uid is not None:
            sandbox.drop_privileges(p.uid)
            layers.insert(0, "user")
        devnull = os.open("/dev/null", os.O_RDWR)
        for std in (0, 1, 2):
            os.dup2(devnull, std)
        import random

        import numpy as np

        random.seed(0)  # a forked kernel must not share the zygote's random state by accident
        np.random.seed(0)
        Worker(layers=layers).serve(fd_in, fd_out)
    except BaseException:  # noqa: BLE001 - nothing may escape into the zygote's loop
        pass
    os._exit(0)


def _wait_as(pid: int, fd_in: int, fd_out: int, reap_all: bool = False) -> None:
    """In the parent after a fork: wait for ``pid`` and exit with its status; the child returns.

    With ``reap_all`` (as PID 1) every other process that ends meanwhile is reaped too.
    """
    if pid == 0:
        return
    os.close(fd_in), os.close(fd_out)
    while True:
        try:
            done, status = os.waitpid(-1 if reap_all else pid, 0)
        except ChildProcessError:
            os._exit(1)
        if done == pid:
            os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status)
                     else 128 + os.WTERMSIG(status))


def reap() -> dict[int, int]:
    """Collect exited children; returns {pid: exit code or 128 + signal}."""
    done = {}
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return done
        if pid == 0:
            return done
        done[pid] = (os.WEXITSTATUS(status) if os.WIFEXITED(status)
                     else 128 + os.WTERMSIG(status))


class Killer:
    """A small root process, forked before the heavy imports, that kills a uid's processes.

    Killing by uid needs a process that becomes the uid (sandbox.kill_uid forks one, about twice
    per kernel); forking the zygote itself copies the page tables of torch and the rest (about
    20 ms of CPU each), forking this process almost nothing.
    """

    def __init__(self) -> None:
        from deepgrade.grade.kernel import sandbox

        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.pid = os.fork()
        if self.pid == 0:
            self.sock.close()
            sandbox.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            while True:
                data = theirs.recv(64)
                if not data:
                    os._exit(0)
                sandbox.kill_uid(int(data))
                theirs.send(b"done")
        theirs.close()

    def kill_uid(self, uid: int) -> None:
        self.sock.send(str(uid).encode())
        self.sock.recv(64)


PR_SET_PDEATHSIG = 1
_killer: Killer | None = None
_clone_works = True  # a namespace-creating fork is tried per kernel while it succeeds


def kill_all(uid: int | None) -> None:
    """Kill every kernel process: by uid when sandboxed, else every descendant of the zygote."""
    import psutil

    from deepgrade.grade.kernel import sandbox

    if uid is not None:
        if _killer is not None:
            _killer.kill_uid(uid)
        else:
            sandbox.kill_uid(uid)
    spare = {_killer.pid} if _killer is not None else set()
    for _ in range(50):
        children = [c for c in psutil.Process().children(recursive=True) if c.pid not in spare]
        if not children:
            break
        for child in children:
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(children, timeout=0.5)


def serve(sock: socket.socket) -> None:
    global _clone_works
    from deepgrade.grade.kernel import sandbox

    sandbox.become_subreaper()
    statuses: dict[int, int] = {}
    sock.send(json.dumps({"ready": True}).encode())
    uid = None
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(sock, 1 << 20, 2)
        except OSError:
            data = b""
        if not data:  # the grader is gone: take every kernel with us
            kill_all(uid)
            return
        request = json.loads(data)
        op = request.get("op")
        statuses.update(reap())
        if op == "spawn":
            fd_in, fd_out = fds
            uid = request["plan"].get("uid")
            pid = fork_into_namespaces() if uid is not None and _clone_works else None
            in_namespaces = pid is not None
            if pid is None:
                _clone_works = False  # the next kernels go the unshare way at once
                pid = os.fork()
            if pid == 0:
                sock.close()
                become_kernel(request["plan"], fd_in, fd_out, in_namespaces)
            os.close(fd_in), os.close(fd_out)
            reply: dict[str, Any] = {"pid": pid}
        elif op == "kill":
            kill_all(request.get("uid"))
            statuses.update(reap())
            reply = {"status": statuses.pop(request.get("pid"), None)}
        elif op == "status":
            reply = {"status": statuses.get(request.get("pid"))}
        else:
            reply = {"error": f"unknown op {op!r}"}
        sock.send(json.dumps(reply).encode())


def main(argv: list[str]) -> None:
    global _killer
    sock = socket.socket(fileno=int(argv[0]))
    if os.geteuid() == 0:
        _killer = Killer()
    preload()
    serve(sock)


if __name__ == "__main__":
    main(sys.argv[1:])
