"""Isolation of the student's kernel: which layers this machine allows, and applying them.

Applied in the freshly forked kernel (see zygote.py), strongest first; each layer that cannot be
had here is left out and named in the results (``Report.layers``):

- ``user``: the kernel runs as a dedicated unprivileged uid (one per grader process), so it
  cannot read root-only files, write the results, signal or trace the grader, and everything it
  starts can be killed by uid at the end (``kill(-1)`` from that uid);
- ``filesystem``: a private mount namespace whose root holds only the system folders, the Python
  installation, a fresh /tmp and the kernel's working folder: hidden tests, results, solutions
  and other submissions do not exist there;
- ``pid``, ``network``: private PID and network namespaces (no host processes, no network);
- ``limits``: address space, CPU time, processes, open files, file size, no core dumps;
- ``session``: its own session and process group.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import resource
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT = 1, 2, 4, 32
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18

UID_BASE, UID_COUNT = 61000, 200  # uids reserved for kernels; one is locked per grader process
LOCK_DIR = Path("/tmp/deepgrade-uids")

_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def prctl(option: int, value: int) -> bool:
    return _libc.prctl(option, value, 0, 0, 0) == 0


def become_subreaper() -> bool:
    """Make this process adopt orphaned descendants, so escaped daemons stay killable."""
    return prctl(PR_SET_CHILD_SUBREAPER, 1)


def mount(source: str | None, target: str, fstype: str | None, flags: int,
          data: str | None = None) -> None:
    _check(_libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(),
                       ctypes.c_ulong(flags), data and data.encode()), f"mount {target}")


def is_root() -> bool:
    return os.geteuid() == 0


_uid_lock: Any = None


def _forget_uid_in_child() -> None:
    # The lock belongs to the parent (flock locks follow the open file, shared across fork):
    # a forked grader locks a uid of its own on first use, and never kills its parent's kernels.
    global _uid_lock
    _uid_lock = None


os.register_at_fork(after_in_child=_forget_uid_in_child)


def kernel_uid() -> int | None:
    """A uid for this grader process's kernels, locked so no concurrent grader shares it."""
    global _uid_lock
    if not is_root():
        return None
    if _uid_lock is not None:
        return _uid_lock[1]
    LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
    for uid in range(UID_BASE, UID_BASE + UID_COUNT):
        handle = open(LOCK_DIR / str(uid), "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        _uid_lock = (handle, uid)
        return uid
    return None


@dataclass
class SandboxPlan:
    """What the forked kernel applies to itself (sent as data from the grader to the zygote)."""

    workdir: str
    env: dict[str, str]
    memory_mb: int
    cpu_seconds: int
    uid: int | None = None
    visible: list[str] = field(default_factory=list)  # read-only paths kept in the view

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# Grader variables a kernel may see (data locations); their folders stay visible in its view.
PASSTHROUGH = ("FASHION_MNIST_DIR",)


def kernel_env(workdir: Path) -> dict[str, str]:
    """A clean environment: nothing of the grader's leaks in; one thread, like Gradescope's CPU."""
    passed = {k: os.environ[k] for k in PASSTHROUGH if k in os.environ}
    return passed | {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(workdir), "TMPDIR": "/tmp", "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
        "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
        "MPLCONFIGDIR": str(workdir / ".matplotlib"),
    }


def visible_paths() -> list[str]:
    """Read-only paths a kernel needs: system folders, the interpreter, the environment."""
    import deepgrade

    paths = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32", "/etc", "/opt/wheels"]
    paths += [sys.base_prefix, sys.prefix, str(Path(deepgrade.__file__).parent)]
    paths += [p for p in sys.path if p and Path(p).is_dir()]
    paths += [os.environ[k] for k in PASSTHROUGH if k in os.environ]
    real = []
    for p in paths:
        if os.path.isdir(p):
            resolved = os.path.realpath(p)
            real += [p] if resolved == p else [p, resolved]
    # Never a folder that holds everything else: the whole of /tmp or a home would bring the
    # grader's scratch folders (other submissions, results) back into view.
    too_wide = {"/", "/tmp", "/root", "/home", "/work", os.path.expanduser("~")}
    return sorted(p for p in set(real) if p not in too_wide)


def plan(workdir: Path, memory_mb: int, cpu_seconds: int) -> SandboxPlan:
    uid = kernel_uid()
    if uid is not None:
        os.chown(workdir, uid, uid)
        for sub in workdir.rglob("*"):
            os.chown(sub, uid, uid)
    return SandboxPlan(str(workdir), kernel_env(workdir), memory_mb, cpu_seconds, uid,
                       visible_paths() if uid is not None else [])


# ---- applied in the forked kernel --------------------------------------------------------------

def enter_namespaces(p: SandboxPlan) -> list[str]:
    """As root: private mount, PID, network, IPC and UTS namespaces. Returns the layers won.

    The caller must fork after this: the child is PID 1 of the new PID namespace.
    """
    flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
    _check(_libc.unshare(flags), "unshare")
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    return ["filesystem", "pid", "network"]


def private_mounts() -> list[str]:
    """In a process created in new namespaces: make its mounts private. Returns the layers."""
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    return ["filesystem", "pid", "network"]


def build_root(p: SandboxPlan) -> str:
    """A new root holding only ``p.visible`` (read-only), /dev basics, /tmp and the workdir."""
    # One fixed mount point serves every kernel: each mounts its tmpfs there in its own private
    # mount namespace, so concurrent kernels never see each other's root.
    root = "/tmp/deepgrade-root"
    os.makedirs(root, exist_ok=True)
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=64m")
    # /tmp first: the environment itself may live under /tmp (a clone in a scratch folder) and
    # must be bound on top of the kernel's empty /tmp, not hidden under it.
    os.makedirs(root + "/tmp", exist_ok=True)
    mount("tmpfs", root + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=512m")
    for path in p.visible:
        target = root + path
        os.makedirs(target, exist_ok=True)
        mount(path, target, None, MS_BIND | MS_REC)
        mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC)
    os.makedirs(root + "/dev", exist_ok=True)
    for dev in ("null", "zero", "random", "urandom"):
        open(f"{root}/dev/{dev}", "w").close()
        mount(f"/dev/{dev}", f"{root}/dev/{dev}", None, MS_BIND)
    os.makedirs(root + p.workdir, exist_ok=True)
    mount(p.workdir, root + p.workdir, None, MS_BIND)
    os.makedirs(root + "/proc", exist_ok=True)
    return root


def finish_in_namespace(root: str) -> None:
    """As PID 1 of the new namespace: its own /proc, then switch to the new root."""
    mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV)
    os.chroot(root)


def apply_limits(p: SandboxPlan) -> None:
    """rlimits; the address-space limit is on top of what the pre-imported libraries use."""
    with open("/proc/self/status") as f:
        vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize"))
    limit = vm + p.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (p.cpu_seconds, p.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 << 20, 256 << 20))
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    if p.uid is not None:  # counted per uid: only meaningful for the dedicated uid
        resource.setrlimit(resource.RLIMIT_NPROC, (128, 128))


def drop_privileges(uid: int) -> None:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    prctl(PR_SET_NO_NEW_PRIVS, 1)  # no setuid binary can give privileges back


def kill_uid(uid: int) -> None:
    """SIGKILL every process of ``uid``: fork, become that uid, ``kill(-1)``, repeat until none.

    Run from the zygote, which holds no grading data. ``kill(-1)`` from a uid reaches exactly
    that uid's processes, wherever they hide (new sessions, double forks, namespaces).
    """
    for _ in range(20):
        pid = os.fork()
        if pid == 0:
            try:
                os.setresgid(uid, uid, uid)
                os.setresuid(uid, uid, uid)
                os.kill(-1, 9)
            except OSError:
                pass
            os._exit(0)
        os.waitpid(pid, 0)
        if not any(_owned_by(uid, p) for p in os.listdir("/proc") if p.isdigit()):
            return


def _owned_by(uid: int, pid: str) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Uid:"):
                    return int(line.split()[1]) == uid
    except OSError:
        return False
    return False
