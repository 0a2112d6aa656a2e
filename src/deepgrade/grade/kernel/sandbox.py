"""Isolation of the student's kernel: what this machine allows, probed once, and applying it.

The layers, strongest first (each one the machine allows is applied; the list is in every
results.json, and a requested layer that fails to apply stops the kernel: a grader fault, never
a weaker sandbox in silence):

- ``user``: as root, the kernel runs as a dedicated unprivileged uid (one per grader process),
  so it cannot read root-only files, write the results, or signal or trace the grader, and
  everything it starts is killed by uid at the end (``kill(-1)`` from that uid);
- ``mount-view``, ``pid-namespace``, ``net-namespace``: with CAP_SYS_ADMIN (full root), a private
  mount namespace whose root holds only the system folders, the Python environment, a fresh /tmp
  and the kernel's working folder, and private PID, network, IPC and UTS namespaces;
- ``landlock-fs`` (and ``landlock-net``, ``landlock-signals`` on newer kernels): the same file
  boundary without mounts or privileges (landlock.py), so it holds in Docker's default container;
- ``seccomp``: our own filter (seccomp.py): no IP sockets, no ptrace, no namespaces, mounts,
  keyrings or System V IPC;
- ``no-new-privs``, ``limits`` (address space, CPU time, processes, files), ``session``.

Modes: ``full`` (root with namespaces), ``container`` (root without them: Docker's defaults, as
on Gradescope), ``unprivileged`` (not root: no ``user`` layer, so the kernel shares the grader's
uid; Landlock and seccomp still apply where the kernel has them).
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import fcntl
import os
import resource
import stat
import sys
import sysconfig
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from deepgrade.grade.kernel import landlock, seccomp
from deepgrade.grade.kernel.native import check, libc, prctl

PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
NAMESPACES = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT = 1, 2, 4, 32
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18

LOCK_DIR = Path("/tmp/deepgrade-uids")
# Folders any user may write to: where a kernel without a private /tmp could leave files.
SHARED_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm")
SYSTEM_FOLDERS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32", "/etc")
# Folders that hold everything else: exposing one would expose the grader's scratch folders,
# the course or the autograder. Never part of a kernel's view, whatever the environment says.
TOO_WIDE = frozenset({"/", "/tmp", "/root", "/home", "/work", "/autograder", "/var", "/opt",
                      "/srv", "/mnt", "/media"})


class SandboxError(Exception):
    """The sandbox cannot be set up as this machine promised: a grader fault, for staff."""


def become_subreaper() -> bool:
    """Make this process adopt orphaned descendants, so escaped daemons stay killable."""
    return prctl(PR_SET_CHILD_SUBREAPER, 1)


def mount(source: str | None, target: str, fstype: str | None, flags: int,
          data: str | None = None) -> None:
    import ctypes

    check(libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(),
                     ctypes.c_ulong(flags), data and data.encode()), f"mount {target}")


def is_root() -> bool:
    return os.geteuid() == 0


# ---- what the machine allows (probed once per zygote) ------------------------------------------

@dataclass(frozen=True)
class Capabilities:
    """The layers this machine gives a grader's kernels, and why any is missing (for staff)."""

    root: bool
    namespaces: bool
    landlock_abi: int
    seccomp: bool
    problems: tuple[str, ...] = ()

    @property
    def mode(self) -> str:
        return "full" if self.root and self.namespaces else "container" if self.root \
            else "unprivileged"

    @property
    def files_hidden(self) -> bool:
        """Whether the kernel's view can keep the hidden tests and results out of its reach."""
        return self.namespaces or self.landlock_abi >= 1

    def describe(self) -> str:
        """One line for the staff log: the mode, the layers, and what is missing."""
        layers = ["user"] if self.root else []
        layers += ["namespaces"] if self.namespaces else []
        layers += [f"landlock (ABI {self.landlock_abi})"] if self.landlock_abi else []
        layers += ["seccomp"] if self.seccomp else []
        text = f"sandbox mode {self.mode}: {', '.join(layers) or 'limits only'}"
        return text + ("; " + "; ".join(self.problems) if self.problems else "")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Capabilities:
        """From ``to_dict``'s output after a trip through JSON (which makes tuples lists)."""
        fields: dict[str, Any] = {k: tuple(v) if k == "problems" else v for k, v in data.items()}
        return cls(**fields)


def _in_child(action: Any) -> int:
    """Run ``action()`` in a forked child; its errno (0 for success) comes back as exit status."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            action()
        except OSError as exc:
            code = exc.errno or errno.EPERM
        except BaseException:  # noqa: BLE001 - any failure means "not available"
            code = errno.EPERM
        os._exit(min(code, 255))
    _, status = os.waitpid(pid, 0)
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else errno.EPERM


def _try_namespaces() -> None:
    check(libc.unshare(NAMESPACES), "unshare")
    mount(None, "/", None, MS_REC | MS_PRIVATE)


def _environment_paths() -> list[str]:
    """The interpreter's own folders: what any kernel must be able to read."""
    paths = {sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(sys.executable))}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        value = sysconfig.get_paths().get(key)
        if value:
            paths.add(value)
    return sorted(p for p in paths if os.path.isdir(p))


def _env_readable_as(uid: int) -> None:
    drop_privileges(uid)
    for path in _environment_paths():
        if not os.access(path, os.R_OK | os.X_OK):
            raise PermissionError(errno.EACCES, path)


def probe() -> Capabilities:
    """Find out, in throw-away children, which layers this machine allows."""
    root = is_root()
    problems = []
    namespaces = root and _in_child(_try_namespaces) == 0
    if root and not namespaces:
        problems.append("no namespaces (no CAP_SYS_ADMIN, or seccomp refuses unshare)")
    abi = landlock.abi_version()
    if abi and _in_child(lambda: landlock.restrict(["/usr"], [], abi)) != 0:
        abi = 0
    if not abi:
        problems.append("no Landlock on this kernel")
    has_seccomp = _in_child(seccomp.install) == 0
    if not has_seccomp:
        problems.append("no seccomp filter" + ("" if seccomp.supported() else
                                               f" for {os.uname().machine}"))
    if root and not namespaces and _in_child(lambda: _env_readable_as(_any_kernel_uid())) != 0:
        # Without a mount view the kernel sees the real folders, with their real permissions.
        problems.append("the Python environment (" + ", ".join(_environment_paths()) + ") is "
                        "not readable by unprivileged users: install it world-readable, as "
                        "the bundle's setup.sh does")
    if not root:
        problems.append("not root: the kernel runs as the grader's own user")
    return Capabilities(root, namespaces, abi, has_seccomp, tuple(problems))


# ---- one uid per grader process ----------------------------------------------------------------
# A grader's kernels run as a uid no other grader on the host can hold. The uid is drawn at random
# from a range of 2**30 uids that no account uses, then checked free (no lock under this /tmp, no
# visible process, no account): two graders that share /tmp never draw the same uid, and two that
# do not (a container beside the host, a service with PrivateTmp, another mount namespace) meet
# with a chance of about one in a billion. A fixed first uid made every such pair collide, and the
# teardown's kill(-1) as that uid then killed the other grader's kernel.

UID_LOW, UID_SPAN = 1 << 30, 1 << 30  # 2**30 .. 2**31 - 1: above accounts and subuid ranges
LOCK_DIR = Path("/tmp/deepgrade-uids")
UID_DRAWS = 64

_uid_lock: Any = None


def _forget_uid_in_child() -> None:
    # The lock belongs to the parent (flock locks follow the open file, shared across fork):
    # a forked grader locks a uid of its own on first use, and never kills its parent's kernels.
    global _uid_lock
    _uid_lock = None


os.register_at_fork(after_in_child=_forget_uid_in_child)


def uid_ranges() -> list[tuple[int, int]]:
    """The uids this process may switch to, as half-open ``[first, end)`` ranges: all of them on
    a host, only the mapped ones in a user namespace (a rootless container maps 65536)."""
    try:
        lines = Path("/proc/self/uid_map").read_text().split("\n")
    except OSError:
        return [(0, 1 << 32)]
    ranges = []
    for line in lines:
        parts = line.split()
        if len(parts) == 3:
            first, count = int(parts[0]), int(parts[2])
            ranges.append((first, first + count))
    return ranges or [(0, 1 << 32)]


def kernel_uid_candidates(ranges: list[tuple[int, int]], rng: Any) -> list[int]:
    """``UID_DRAWS`` uids drawn at random from ``ranges``: from 2**30 up where the range reaches
    that far, otherwise from the top half of the largest mapped range (below it, accounts)."""
    wide = [(max(a, UID_LOW), min(b, UID_LOW + UID_SPAN)) for a, b in ranges
            if min(b, UID_LOW + UID_SPAN) > max(a, UID_LOW)]
    if not wide:
        a, b = max(ranges, key=lambda r: r[1] - r[0])
        b = min(b, 65534) if a < 65534 < b else b  # nobody, and 65535 (-1 in 16 bits)
        wide = [((a + b) // 2, b)]
    draws = []
    for _ in range(UID_DRAWS):
        a, b = wide[rng.randrange(len(wide))]
        draws.append(rng.randrange(a, b))
    return draws


def _any_kernel_uid() -> int:
    """A uid of the kind kernels get (for the probe, which only tries what such a uid can read)."""
    import random

    return kernel_uid_candidates(uid_ranges(), random.Random(0))[0]


def _uid_in_use(uid: int) -> bool:
    """A visible process or an account already has ``uid``."""
    import pwd

    try:
        pwd.getpwuid(uid)
        return True
    except KeyError:
        pass
    return any(_owned_by(uid, p, zombies=True) for p in os.listdir("/proc") if p.isdigit())


def kernel_uid() -> int | None:
    """A uid for this grader process's kernels, locked so no grader sharing /tmp takes it, and
    drawn at random so that none that does not share it meets it either."""
    global _uid_lock
    if not is_root():
        return None
    if _uid_lock is not None:
        return _uid_lock[1]
    import random

    LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
    for uid in kernel_uid_candidates(uid_ranges(), random.SystemRandom()):
        if _uid_in_use(uid):
            continue
        handle = open(LOCK_DIR / str(uid), "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        _uid_lock = (handle, uid)
        atexit.register(_release_uid, handle, uid)
        return uid
    return None


def _release_uid(handle: Any, uid: int) -> None:
    # Random uids would otherwise leave a lock file per grader process behind for ever.
    if _uid_lock is not None and _uid_lock[0] is handle:
        with contextlib.suppress(OSError):
            os.unlink(LOCK_DIR / str(uid))
        handle.close()


# ---- the plan (grader side) --------------------------------------------------------------------

@dataclass
class SandboxPlan:
    """What the forked kernel applies to itself (sent as data from the grader to the zygote)."""

    workdir: str
    env: dict[str, str]
    memory_mb: int
    cpu_seconds: int
    uid: int | None = None
    namespaces: bool = False
    landlock_abi: int = 0
    seccomp: bool = False
    visible: list[str] = field(default_factory=list)  # read-only folders of the kernel's view

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Grader variables a kernel may see (data locations); their folders stay visible in its view.
PASSTHROUGH = ("FASHION_MNIST_DIR",)
_protected: set[str] = set()


def protect(*paths: str | Path) -> None:
    """Declare folders or files that hold what a kernel must never see (hidden tests, results,
    submissions, the course). No kernel's view will include a folder that contains one."""
    _protected.update(os.path.realpath(p) for p in paths)


def kernel_env(workdir: Path, tmpdir: str = "/tmp") -> dict[str, str]:
    """A clean environment: nothing of the grader's leaks in; one thread, like Gradescope's CPU."""
    passed = {k: os.environ[k] for k in PASSTHROUGH if k in os.environ}
    return passed | {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(workdir), "TMPDIR": tmpdir, "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
        "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
        "MPLCONFIGDIR": str(workdir / ".matplotlib"),
    }


def _contains(folder: str, path: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def visible_paths() -> list[str]:
    """Read-only folders a kernel needs: system folders, the interpreter, its environment and
    data folders. Built from where the libraries are, never from ``sys.path`` or the working
    folder; a folder that contains anything protected is refused (a grader fault)."""
    paths = [*SYSTEM_FOLDERS, *_environment_paths()]
    paths += [os.environ[k] for k in PASSTHROUGH if k in os.environ]
    protected = _protected | {os.path.realpath(os.getcwd()), "/autograder"}
    real: set[str] = set()
    for p in paths:
        if not os.path.isdir(p):
            continue
        for candidate in {os.path.abspath(p), os.path.realpath(p)}:
            if candidate in TOO_WIDE:
                continue
            leak = next((q for q in sorted(protected) if _contains(candidate, q)), None)
            if leak is not None:
                raise SandboxError(f"the kernel needs {candidate}, which contains {leak}: "
                                   "install the Python environment outside the course and "
                                   "autograder folders")
            real.add(candidate)
    return sorted(real)


def _readable_by_others(path: str) -> bool:
    """Whether a user who owns nothing here could read ``path`` (by its permission bits)."""
    try:
        parts = Path(path).parts
        for i in range(1, len(parts)):
            if not os.stat(os.path.join(*parts[:i])).st_mode & stat.S_IXOTH:
                return False
        return bool(os.stat(path).st_mode & stat.S_IROTH)
    except OSError:
        return False


def exposed(caps: Capabilities) -> list[str]:
    """Protected paths the student's code could still read in this mode (none where a mount
    view or Landlock shows it only the environment: ``visible_paths`` refuses any folder that
    holds a protected path)."""
    if caps.files_hidden:
        return []
    if caps.root:  # a uid of its own: file permissions decide
        return sorted(p for p in _protected if _readable_by_others(p))
    return sorted(_protected)  # the grader's own uid: whatever the grader can read


def cgroup_mounts(mountinfo: str) -> list[tuple[str, str, str]]:
    """``(version, root, mount point)`` of each memory cgroup mount in ``mountinfo`` (the text of
    /proc/self/mountinfo): version "1" for a v1 hierarchy with the memory controller, "2" for
    the unified one. ``root`` is the cgroup the mount shows at its top: a container without a
    cgroup namespace mounts its own cgroup there (root "/docker/<id>" at /sys/fs/cgroup/memory)."""
    found = []
    for line in mountinfo.splitlines():
        fields = line.split()
        if "-" not in fields:
            continue
        sep = fields.index("-")
        if len(fields) < sep + 4 or sep < 5:
            continue
        fstype, options = fields[sep + 1], fields[sep + 3].split(",")
        root, point = fields[3], fields[4].replace("\\040", " ")
        if fstype == "cgroup" and "memory" in options:
            found.append(("1", root, point))
        elif fstype == "cgroup2":
            found.append(("2", root, point))
    return found


def memory_cgroup_folder(proc_cgroup: str, mountinfo: str) -> list[Path]:
    """Where this process's memory cgroup may be, best first: its path under each mount that
    shows it (the path relative to the mount's root), then the mount's top itself."""
    paths: dict[str, str | None] = {"1": None, "2": None}
    for line in proc_cgroup.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        if "memory" in parts[1].split(","):
            paths["1"] = parts[2]
        elif parts[0] == "0" and parts[1] == "":
            paths["2"] = parts[2]
    candidates: list[Path] = []
    for version, root, point in cgroup_mounts(mountinfo):
        path = paths[version]
        if path is None:
            continue
        if path == root or path.startswith(root.rstrip("/") + "/"):
            candidates.append(Path(point) / path[len(root.rstrip("/")):].lstrip("/"))
        candidates.append(Path(point))  # a namespaced or mounted-at-own-cgroup view
    return candidates


def _memory_cgroup() -> Path | None:
    """This process's memory cgroup folder (v1 or v2), wherever the container mounts it."""
    try:
        proc_cgroup = Path("/proc/self/cgroup").read_text()
        mountinfo = Path("/proc/self/mountinfo").read_text()
    except OSError:
        return None
    for folder in memory_cgroup_folder(proc_cgroup, mountinfo):
        if (folder / "memory.limit_in_bytes").exists() or (folder / "memory.max").exists():
            return folder
    return None


def _cgroup_value(folder: Path, name: str, key: str | None = None) -> int | None:
    try:
        text = (folder / name).read_text()
    except OSError:
        return None
    if key is None:
        return None if text.strip() == "max" else int(text.split()[0])
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == key:
            return int(parts[1])
    return None


def memory_available_mb() -> int | None:
    """What this process's memory cgroup (a container's 768 MB) still has free, page cache not
    counted; None without a limit."""
    folder = _memory_cgroup()
    if folder is None:
        return None
    v1 = (folder / "memory.limit_in_bytes").exists()
    limit = _cgroup_value(folder, "memory.limit_in_bytes" if v1 else "memory.max")
    used = _cgroup_value(folder, "memory.usage_in_bytes" if v1 else "memory.current")
    if limit is None or used is None or limit >= 1 << 60:
        return None
    cache = _cgroup_value(folder, "memory.stat", "total_inactive_file" if v1 else "inactive_file")
    return max(0, limit - used + (cache or 0)) >> 20


def oom_kills() -> int | None:
    """How many processes an OOM killer has killed so far: the memory cgroup's count where it
    has one, plus the whole machine's (/proc/vmstat, which a container reads too); None where
    neither is known."""
    counts = []
    folder = _memory_cgroup()
    if folder is not None:
        if (folder / "memory.oom_control").exists():
            counts.append(_cgroup_value(folder, "memory.oom_control", "oom_kill"))
        else:
            counts.append(_cgroup_value(folder, "memory.events", "oom_kill"))
    counts.append(_cgroup_value(Path("/proc"), "vmstat", "oom_kill"))
    known = [c for c in counts if c is not None]
    return sum(known) if known else None


KERNEL_MEMORY_FLOOR_MB, GRADER_HEADROOM_MB = 128, 64


def kernel_memory_mb(budget_mb: int) -> int:
    """The homework's budget, cut to what the container can still give (keeping some headroom
    for the grader), so a blow-up ends in a MemoryError in the kernel, not in the grader."""
    free = memory_available_mb()
    if free is None:
        return budget_mb
    return max(KERNEL_MEMORY_FLOOR_MB, min(budget_mb, free - GRADER_HEADROOM_MB))


def plan(workdir: Path, memory_mb: int, cpu_seconds: int, caps: Capabilities) -> SandboxPlan:
    """The layers for one kernel start; hands the working folder to the kernel's uid."""
    uid = kernel_uid() if caps.root else None
    if caps.root and uid is None:
        raise SandboxError(f"no free kernel uid among {UID_DRAWS} drawn at random (locks in "
                           f"{LOCK_DIR}, processes, accounts): is something holding thousands?")
    if caps.root and not caps.namespaces and any("not readable" in p for p in caps.problems):
        raise SandboxError(next(p for p in caps.problems if "not readable" in p))
    tmpdir = "/tmp" if caps.namespaces else str(workdir / ".tmp")
    if uid is not None:
        hand_over(workdir, uid)
    if not caps.namespaces:
        os.makedirs(tmpdir, exist_ok=True)
        if uid is not None:
            os.lchown(tmpdir, uid, uid)
    return SandboxPlan(str(workdir), kernel_env(workdir, tmpdir), kernel_memory_mb(memory_mb),
                       cpu_seconds, uid,
                       caps.namespaces, caps.landlock_abi, caps.seccomp, visible_paths())


def hand_over(workdir: Path, uid: int) -> None:
    """Give the working folder and what the grader put in it to ``uid``, once.

    Only before the first kernel start: afterwards the kernel owns the folder and may have
    planted symlinks in it, which a root ``chown`` would follow out of the folder. Even the first
    time nothing is followed (``lchown``, no symlinked folders walked).
    """
    if os.lstat(workdir).st_uid == uid:
        return
    for folder, dirs, files in os.walk(workdir, followlinks=False):
        for name in dirs + files:
            os.lchown(os.path.join(folder, name), uid, uid)
    os.lchown(workdir, uid, uid)


# ---- applied in the forked kernel --------------------------------------------------------------

def enter_namespaces() -> list[str]:
    """As root: private mount, PID, network, IPC and UTS namespaces. Returns the layers won.

    The caller must fork after this: the child is PID 1 of the new PID namespace.
    """
    _try_namespaces()
    return ["mount-view", "pid-namespace", "net-namespace"]


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
    """rlimits; the address-space limit is on top of what the pre-imported libraries use. Where
    a memory cgroup runs out anyway, the kernel is the process its OOM killer takes first."""
    with open("/proc/self/oom_score_adj", "w") as f:  # raising one's own score needs no right
        f.write("1000")
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


def apply_landlock(p: SandboxPlan) -> list[str]:
    """Read beneath the view, /proc and /sys; write only beneath the working folder (and the
    private /tmp of a mount view). Returns the layers won."""
    writable = [p.workdir] + (["/tmp"] if p.namespaces else [])
    won = landlock.restrict([*p.visible, "/proc", "/sys"], writable, p.landlock_abi)
    short = {"filesystem": "fs", "network": "net", "signals": "signals"}
    return [f"landlock-{short[w]}" for w in won]


def no_new_privs() -> None:
    if not prctl(PR_SET_NO_NEW_PRIVS, 1):  # no setuid binary can give privileges back
        raise OSError(errno.EPERM, "prctl(PR_SET_NO_NEW_PRIVS) refused")


def drop_privileges(uid: int) -> None:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)


# ---- after the kernel (zygote side) ------------------------------------------------------------

def kill_uid(uid: int) -> None:
    """SIGKILL every process of ``uid``: fork, become that uid, ``kill(-1)``, repeat until none.

    Run from the zygote, which holds no grading data. ``kill(-1)`` from a uid reaches exactly
    that uid's processes, wherever they hide (new sessions, double forks, namespaces). Nothing
    is forked when no process of the uid is left (a fork of the zygote copies its page tables).
    """
    for _ in range(20):
        if not any(_owned_by(uid, p) for p in os.listdir("/proc") if p.isdigit()):
            return
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


def remove_uid_files(uid: int, keep: str | None = None,
                     folders: tuple[str, ...] = SHARED_WRITABLE) -> int:
    """Delete what ``uid`` left in the world-writable folders (a kernel without a private /tmp
    could leave a note there for the next submission), except its working folder ``keep``.
    Nothing is followed; returns the count."""
    removed = 0
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid or entry.path == keep:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    _remove_tree(entry.path)
                else:
                    os.unlink(entry.path)
                removed += 1
            except OSError:
                pass
    return removed


def _remove_tree(path: str) -> None:
    # shutil.rmtree follows no symlinks either, but says so less plainly; this stays in one fs.
    for folder, dirs, files in os.walk(path, topdown=False, followlinks=False):
        for name in files:
            os.unlink(os.path.join(folder, name))
        for name in dirs:
            full = os.path.join(folder, name)
            if stat.S_ISLNK(os.lstat(full).st_mode):
                os.unlink(full)
            else:
                os.rmdir(full)
    os.rmdir(path)


def _owned_by(uid: int, pid: str, zombies: bool = False) -> bool:
    """Whether process ``pid`` runs as ``uid`` (a zombie, which runs nothing, counts only with
    ``zombies``)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if not zombies and line.startswith("State:") and line.split()[1] == "Z":
                    return False
                if line.startswith("Uid:"):
                    return int(line.split()[1]) == uid
    except OSError:
        return False
    return False
