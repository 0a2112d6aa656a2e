"""A clean parent for kernels: imports the heavy libraries once, then forks one per submission.

Starting Python and importing torch costs about 2 s; forking this process costs milliseconds.
The zygote is started before any submission is read and never runs student code or holds test
data: it only imports libraries, forks, and kills. Each forked child sandboxes itself
(sandbox.py) and becomes a worker (worker.py).

One zygote serves every grader of a run: it loads the libraries and probes the machine once,
then forks one server per grader (one control socket each). A server is the parent and
subreaper of its grader's kernels only, so killing "every kernel of this grader" never touches
another grader's; the cost of a second grader is a fork, not a second Python and torch start-up.

Control messages are bare JSON documents, one per datagram of a SOCK_SEQPACKET Unix socket from
the grader (the socket keeps message boundaries, so no framing); a "spawn" request carries the
kernel's two pipe ends as passed file descriptors. Before its first reply the zygote probes what
the machine allows (sandbox.probe) and sends it with its "ready" message.
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


# What the zygote may import for its kernels beyond numpy, torch and the shell, each with the
# words in a homework's code that show it is used. Importing what a homework never uses costs
# every Gradescope run its CPU (matplotlib 0.5 s, an optimizer's torch._dynamo 1.3 s, on half a
# CPU twice that), and what it does use costs the same in the zygote or in the kernel; in a
# batch, a module imported once in the zygote is shared by every kernel forked from it.
PRELOADS: dict[str, tuple[str, ...]] = {
    "matplotlib": ("matplotlib",),
    "torch.optim": ("optim", "torch._dynamo"),
    # autograd.grad with given output gradients (a vector-Jacobian product) first imports
    # torch.fx's symbolic shapes and sympy (0.6 s of CPU), in the kernel and the grader alike
    # (a scalar's gradient, as torch.autograd.grad((g * v).sum(), w), does not)
    "symbolic_shapes": ("grad_outputs", "torch.func", "vjp", "jvp"),
}


def preloads_for(sources: list[str]) -> list[str]:
    """The PRELOADS keys that the code ``sources`` (a homework's cells, tests and support
    files) mentions: what the bundle asks its zygote to import."""
    return sorted(name for name, words in PRELOADS.items()
                  if any(word in source for source in sources for word in words))


def matplotlib_cache() -> str | None:
    """Where the zygote keeps matplotlib's font cache: beside the environment, so that it is
    built once (setup.sh's check, as root) instead of at every Gradescope run, whose /tmp is
    new (0.2 s of CPU). None where it cannot be made: matplotlib then uses a folder of its own."""
    folder = os.path.join(sys.prefix, "share", "deepgrade", "matplotlib")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) or os.listdir(folder) else None


def import_libraries(extras: list[str] | None = None) -> None:
    """Import numpy, torch and the PRELOADS named by ``extras`` (all of them when None). A
    grader that forks its zygote (client.Zygote.fork) calls this first, so that it and its
    kernels share one copy of each."""
    extras = list(PRELOADS) if extras is None else extras
    import numpy  # noqa: F401
    import torch

    torch.set_num_threads(1)
    if "matplotlib" in extras:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401
    if "torch.optim" in extras:
        # The first optimizer a notebook builds imports torch._dynamo (about 800 modules, 1.3 s
        # of CPU): once here instead of in every kernel that trains a model.
        torch.optim.Adam([torch.zeros(1, requires_grad=True)])
    if "symbolic_shapes" in extras:
        import torch.fx.experimental.symbolic_shapes  # noqa: F401


def preload(extras: list[str] | None = None) -> None:
    """Import what kernels need before any student code exists (never after): numpy, torch and
    the shell always, and the PRELOADS named by ``extras`` (all of them when None)."""
    import_libraries(extras)
    from IPython.core.interactiveshell import InteractiveShell  # noqa: F401

    # The shell is created here, before any student code exists, so each kernel inherits a
    # ready one (its namespace is still empty) instead of building it after the fork.
    from deepgrade.grade.kernel import worker

    worker.make_shell()
    # Everything allocated so far is shared with every kernel; freezing it keeps the garbage
    # collector from touching (and so copying) those pages in each forked kernel.
    gc.collect()
    gc.freeze()


def become_kernel(plan: dict[str, Any], fd_in: int, fd_out: int) -> None:
    """In the forked child: sandbox this process, then serve as a worker. Never returns.

    Every layer the plan asks for is applied or the kernel does not start: its first message
    then names the layer and the reason, which the grader reports to staff as its own fault.
    """
    from deepgrade.grade import protocol
    from deepgrade.grade.kernel import sandbox
    from deepgrade.grade.kernel.worker import Worker

    p = sandbox.SandboxPlan(**plan)
    layers = ["session", "limits"]
    step = "closing inherited files"
    try:
        # Nothing the zygote had open may reach student code: only stdio and the channel stay.
        low, high = sorted((fd_in, fd_out))
        os.closerange(3, low)
        os.closerange(low + 1, high)
        os.closerange(high + 1, 65536)
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        die_with_parent()
        if p.namespaces:
            step = "namespaces"
            layers += sandbox.enter_namespaces()
            root = sandbox.build_root(p)
            # K0 (here) waits for K1, PID 1 of the new namespace, which waits for K2, the worker.
            # The worker is not PID 1 itself: PID 1 ignores signals it has no handler for, and
            # orphans in the namespace are re-parented to it and must be reaped.
            _wait_as(os.fork(), fd_in, fd_out)
            sandbox.finish_in_namespace(root)
            _wait_as(os.fork(), fd_in, fd_out, reap_all=True)
        step = "working folder"
        os.chdir(p.workdir)
        sys.path.insert(0, "")  # as in Jupyter: modules beside the notebook import
        os.environ.clear()
        os.environ.update(p.env)
        devnull = os.open("/dev/null", os.O_RDWR)
        for std in (0, 1, 2):
            os.dup2(devnull, std)
        step = "limits"
        sandbox.apply_limits(p)
        step = "no_new_privs"
        sandbox.no_new_privs()
        layers.append("no-new-privs")
        if p.landlock_abi:
            step = "landlock"
            layers += sandbox.apply_landlock(p)
        if p.uid is not None:
            step = "user"
            sandbox.drop_privileges(p.uid)
            die_with_parent()  # a change of uid clears it
            layers.insert(0, "user")
        if p.seccomp:
            step = "seccomp"
            from deepgrade.grade.kernel import seccomp

            seccomp.install()
            layers.append("seccomp")
    except BaseException as exc:  # noqa: BLE001 - nothing may escape into the zygote's loop
        try:
            protocol.write_message(fd_out, {"ready": False, "error": f"sandbox layer {step} "
                                            f"failed: {type(exc).__name__}: {exc}"[:400]})
        finally:
            os._exit(3)
    try:
        import random

        import numpy as np

        random.seed(0)  # a forked kernel must not share the zygote's random state by accident
        np.random.seed(0)
        Worker(layers=layers).serve(fd_in, fd_out)
    except BaseException:  # noqa: BLE001
        pass
    os._exit(0)


PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """SIGKILL this process when its parent dies: a grader that dies takes its zygote with it
    (set in kernel.py), and the zygote its kernels, even stopped ones."""
    from deepgrade.grade.kernel.native import prctl

    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _wait_as(pid: int, fd_in: int, fd_out: int, reap_all: bool = False) -> None:
    """In the parent after a fork: wait for ``pid`` and exit with its status; the child returns.

    With ``reap_all`` (as PID 1) every other process that ends meanwhile is reaped too.
    """
    if pid == 0:
        die_with_parent()
        return
    os.close(fd_in)
    os.close(fd_out)
    while True:
        try:
            done, status = os.waitpid(-1 if reap_all else pid, 0)
        except ChildProcessError:
            os._exit(1)
        if done == pid:
            os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status)
                     else 128 + os.WTERMSIG(status))


CAPABILITIES: Any = None  # what this machine allows, probed once when the zygote starts


def reap() -> dict[int, int]:
    """Collect exited children; returns {pid: exit code or 128 + signal}."""
    done: dict[int, int] = {}
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return done
        if pid == 0:
            return done
        done[pid] = (os.WEXITSTATUS(status) if os.WIFEXITED(status)
                     else 128 + os.WTERMSIG(status))


def kill_all(uid: int | None, keep: str | None = None) -> None:
    """Kill every kernel process of this server: its descendants, then (when sandboxed) any
    process of the kernel's uid still running."""
    import psutil

    from deepgrade.grade.kernel import sandbox

    # The tree first: this server is the subreaper of its kernels, so every process they start
    # is its descendant, and killing PID 1 of a kernel's namespace ends every process in it.
    for _ in range(50):
        children = psutil.Process().children(recursive=True)
        if not children:
            break
        for child in children:
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(children, timeout=0.5)
    if uid is not None:
        sandbox.kill_uid(uid)  # the backstop: by uid, wherever a process of it may be
        if not CAPABILITIES.namespaces:  # no private /tmp: clear what the uid left in shared ones
            sandbox.remove_uid_files(uid, keep)


def serve(sock: socket.socket) -> None:
    """One grader's server: spawn, kill and report on its kernels until its socket closes."""
    from deepgrade.grade.kernel import sandbox

    sandbox.become_subreaper()
    statuses: dict[int, int] = {}
    sock.send(json.dumps({"ready": True, "pid": os.getpid(),
                          "capabilities": CAPABILITIES.to_dict()}).encode())
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
            pid = os.fork()
            if pid == 0:
                sock.close()
                become_kernel(request["plan"], fd_in, fd_out)
            os.close(fd_in)
            os.close(fd_out)
            reply: dict[str, Any] = {"pid": pid}
        elif op == "kill":
            kill_all(request.get("uid"), request.get("keep"))
            statuses.update(reap())
            reply = {"status": statuses.pop(request.get("pid"), None)}
        elif op == "status":
            reply = {"status": statuses.get(request.get("pid"))}
        else:
            reply = {"error": f"unknown op {op!r}"}
        sock.send(json.dumps(reply).encode())


def main(argv: list[str]) -> None:
    """``argv``: one control socket's file descriptor per grader, then optionally
    ``--preload=a,b`` (PRELOADS keys; all of them without it)."""
    from deepgrade.grade.kernel import sandbox

    global CAPABILITIES
    extras = next((a.split("=", 1)[1] for a in argv if a.startswith("--preload=")), None)
    socks = [socket.socket(fileno=int(fd)) for fd in argv if not fd.startswith("--")]
    preload(None if extras is None else [e for e in extras.split(",") if e])
    CAPABILITIES = sandbox.probe()
    servers = set()
    for sock in socks:
        pid = os.fork()
        if pid == 0:
            die_with_parent()
            for other in socks:
                if other is not sock:
                    other.close()
            try:
                serve(sock)
            finally:
                os._exit(0)
        servers.add(pid)
    for sock in socks:
        sock.close()
    # This process only waits: its servers die with it (and it with the process that started it).
    while servers:
        try:
            pid, _ = os.waitpid(-1, 0)
        except ChildProcessError:
            return
        servers.discard(pid)


if __name__ == "__main__":
    main(sys.argv[1:])
