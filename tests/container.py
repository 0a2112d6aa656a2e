"""A faithful stand-in for Gradescope's container, built from what this machine has (no Docker).

Gradescope runs ``/autograder/run_autograder`` as root in a fresh Docker container with
Docker's defaults. ``run_in_container`` reproduces what matters to the sandbox:

- fresh PID, mount, IPC and UTS namespaces (``unshare``), with its own /proc;
- Docker's default seccomp profile for what it refuses to a container without CAP_SYS_ADMIN:
  ``unshare``, ``setns``, ``mount``, ``umount2``, ``pivot_root``, ``keyctl``, ``add_key``,
  ``request_key``, ``bpf``, ``perf_event_open``, ``clone`` with namespace flags and ``clone3``
  (``ENOSYS``), installed with libseccomp (an implementation independent of deepgrade's own
  filter); optionally Landlock refused too, as by older Docker releases and kernels;
- the capability bounding set cut to Docker's 14 default capabilities (``setpriv``);
- optionally a memory cgroup (cgroup v1 here) with Gradescope's 768 MB;
- ``/autograder`` laid out as Gradescope lays it out (a tmpfs in the container's mount namespace:
  ``source/`` the unzipped bundle, ``submission/``, ``results/``, ``run_autograder``), and
  ``run_autograder`` started from ``/autograder`` as the harness does.

The image's Python environment is world-readable, as the bundle's setup.sh makes it: where this
machine keeps the interpreter under a private folder (``/root`` is mode 700), the container's
mount namespace opens just the path to it.

This file is also the program that runs inside the namespaces (``python container.py CONFIG``).
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path

DOCKER_CAPS = ("chown", "dac_override", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap",
               "net_bind_service", "net_raw", "sys_chroot", "mknod", "audit_write", "setfcap")
DOCKER_CAP_MASK = 0xA80425FB  # the same 14, as /proc/PID/status shows them in a container
DENIED = ("unshare", "setns", "mount", "umount2", "pivot_root", "keyctl", "add_key",
          "request_key", "bpf", "perf_event_open", "open_by_handle_at", "fsopen", "fsmount",
          "move_mount", "open_tree", "kexec_load", "reboot", "swapon", "init_module",
          "finit_module", "delete_module", "acct", "userfaultfd")
LANDLOCK_CALLS = ("landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self")
CLONE_NS_FLAGS = (0x00020000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000,
                  0x02000000)
MEMORY_CGROUP = Path("/sys/fs/cgroup/memory")
CPU_CGROUP = Path("/sys/fs/cgroup/cpu")


def run_in_container(bundle_zip: Path, notebook: Path, out: Path, *, landlock: bool = True,
                     memory_mb: int | None = None, timeout: float = 900,
                     command: list[str] | None = None, user: int | None = None,
                     private_tmp: bool = False, cgroup_at_mount: bool = False,
                     cpus: float | None = None) -> dict:
    """Grade ``notebook`` with ``bundle_zip`` in a simulated Gradescope container.

    Returns ``{"returncode", "stderr", "results" (parsed results.json or None), "leftover"
    (processes still alive in the container after run_autograder), "setup" (the output of the
    bundle's non-downloading set-up step)}``. ``command`` replaces run_autograder (for probes of
    the container itself). ``user`` runs the harness as that uid instead of root (the
    non-root mode), with no capabilities at all. ``private_tmp`` gives the container a /tmp of
    its own, as Docker does (off by default: the probes check what a kernel left in the host's).
    ``cgroup_at_mount`` mounts the container's memory cgroup at /sys/fs/cgroup/memory itself, as
    Docker and podman do on cgroup v1 without a cgroup namespace (/proc/self/cgroup then names a
    path that does not exist under the mount). ``cpus`` holds the container to that CPU quota
    (cgroup v1 cpu controller: Gradescope's default is 0.5). The report's ``seconds`` is the
    wall time of run_autograder alone, as a student waits for it.
    """
    out.mkdir(parents=True, exist_ok=True)
    config = {"bundle": str(bundle_zip), "notebook": str(notebook), "out": str(out),
              "landlock": landlock, "python": sys.executable, "command": command, "user": user,
              "private_tmp": private_tmp}
    config_path = out / "container.json"
    cgroup = None
    if memory_mb is not None:
        cgroup = Path(tempfile.mkdtemp(prefix="deepgrade-sim-", dir=MEMORY_CGROUP))
        (cgroup / "memory.limit_in_bytes").write_text(str(memory_mb << 20))
    config["cgroup_at_mount"] = str(cgroup) if cgroup is not None and cgroup_at_mount else None
    quota = None
    if cpus is not None:
        quota = Path(tempfile.mkdtemp(prefix="deepgrade-sim-", dir=CPU_CGROUP))
        (quota / "cpu.cfs_period_us").write_text("100000")
        (quota / "cpu.cfs_quota_us").write_text(str(int(cpus * 100000)))
    config_path.write_text(json.dumps(config))
    inner = ["unshare", "--pid", "--fork", "--mount", "--mount-proc", "--ipc", "--uts",
             "--kill-child", "--", sys.executable, str(Path(__file__).resolve()), str(config_path)]
    for group in (g for g in (cgroup, quota) if g is not None):
        inner = ["sh", "-c", f'echo $$ > {group}/cgroup.procs && exec "$@"', "sh", *inner]
    try:
        proc = subprocess.run(inner, capture_output=True, text=True, timeout=timeout)
    finally:
        for group in (g for g in (cgroup, quota) if g is not None):
            _remove_cgroup(group)
    report_path = out / "container-report.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    results_path = out / "results.json"
    report.update(returncode=report.get("returncode", proc.returncode),
                  stderr=proc.stderr + report.get("stderr", ""),
                  results=json.loads(results_path.read_text()) if results_path.exists() else None)
    return report


def _remove_cgroup(cgroup: Path) -> None:
    for _ in range(50):
        try:
            cgroup.rmdir()
            return
        except OSError:
            import time

            time.sleep(0.1)


# ---- inside the container's namespaces (full root until the very last exec) --------------------

def _environment_paths(python: str) -> list[str]:
    paths = {sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(python))}
    paths |= {v for k, v in sysconfig.get_paths().items() if k in ("stdlib", "purelib")}
    return sorted(paths)


def _open_up(paths: list[str]) -> None:
    """Make each path reachable by any user, in this mount namespace only: every ancestor that
    others cannot traverse is replaced by a tmpfs (mode 755) holding just the next step."""
    libc = ctypes.CDLL(None, use_errno=True)

    def mount(src: str | None, dst: str, fs: str | None, flags: int, data: str | None = None):
        if libc.mount(src and src.encode(), dst.encode(), fs and fs.encode(),
                      ctypes.c_ulong(flags), data and data.encode()) != 0:
            raise OSError(ctypes.get_errno(), f"mount {dst}")

    stash = tempfile.mkdtemp(prefix="deepgrade-sim-stash-")
    for path in paths:
        current = "/"
        for part in Path(os.path.realpath(path)).parts[1:]:
            child = os.path.join(current, part)
            if not os.stat(current).st_mode & 0o001:
                keep = os.path.join(stash, current.strip("/").replace("/", "_"))
                os.makedirs(keep, exist_ok=True)
                mount(current, keep, None, 4096)  # MS_BIND: the original, kept reachable
                mount("tmpfs", current, "tmpfs", 0, "mode=755")
                os.makedirs(child, exist_ok=True)
                mount(os.path.join(keep, part), child, None, 4096 | 16384)  # MS_BIND | MS_REC
            current = child


def _mount(src: str, dst: str, fs: str, flags: int, data: str) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.mount(src.encode(), dst.encode(), fs.encode() or None, ctypes.c_ulong(flags),
                  data.encode() or None) != 0:
        raise OSError(ctypes.get_errno(), f"mount {dst}")


def _lay_out_autograder(config: dict) -> Path:
    root = Path("/autograder")
    root.mkdir(exist_ok=True)  # the mount point; the tmpfs on it exists in this namespace only
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.mount(b"tmpfs", b"/autograder", b"tmpfs", ctypes.c_ulong(0), b"mode=755") != 0:
        raise OSError(ctypes.get_errno(), "mount /autograder")
    with zipfile.ZipFile(config["bundle"]) as zf:
        zf.extractall(root / "source")
    for name in ("run_autograder", "setup.sh"):
        os.chmod(root / "source" / name, 0o755)
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    (root / "results").mkdir()
    shutil.copy(config["notebook"], root / "submission" / Path(config["notebook"]).name)
    if config["user"] is not None:  # the non-root mode: the harness's user owns the layout
        for path in [root, *root.rglob("*")]:
            os.lchown(path, config["user"], config["user"])
    return root


def _docker_seccomp(landlock: bool) -> None:
    """Docker's default profile, for the calls it refuses a container without CAP_SYS_ADMIN."""
    lib = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    lib.seccomp_init.restype = ctypes.c_void_p
    allow, eperm = 0x7FFF0000, 0x00050000 | errno.EPERM
    enosys = 0x00050000 | errno.ENOSYS
    ctx = ctypes.c_void_p(lib.seccomp_init(allow))

    class ArgCmp(ctypes.Structure):
        _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int),
                    ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]

    def nr(name: str) -> int:
        return lib.seccomp_syscall_resolve_name(name.encode())

    denied = list(DENIED) + ([] if landlock else list(LANDLOCK_CALLS))
    for name in denied:
        assert lib.seccomp_rule_add(ctx, eperm, nr(name), 0) == 0, name
    assert lib.seccomp_rule_add(ctx, enosys, nr("clone3"), 0) == 0
    for flag in CLONE_NS_FLAGS:  # SCMP_CMP_MASKED_EQ = 7: (flags & flag) == flag
        cmp = ArgCmp(0, 7, flag, flag)
        assert lib.seccomp_rule_add_array(ctx, eperm, nr("clone"), 1, ctypes.byref(cmp)) == 0
    assert lib.seccomp_load(ctx) == 0, "seccomp_load failed"


def _leftover() -> list[str]:
    """Processes still alive in the container (other than this one) a moment after the end."""
    import time

    for _ in range(30):
        if not _others():
            return []
        time.sleep(0.1)
    return _others()


def _others() -> list[str]:
    me = os.getpid()
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) != me:
            try:
                found.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                             .decode(errors="replace").strip() or f"pid {pid}")
            except OSError:
                pass
    return found


def _as_container(argv: list[str], cwd: str, env: dict, landlock: bool, user: int | None = None,
                  timeout: float = 900) -> subprocess.CompletedProcess:
    """Run ``argv`` as the container's root (Docker's seccomp profile and capabilities), or as
    the unprivileged ``user`` with no capabilities."""
    setpriv = ["setpriv", "--bounding-set", "-all," + ",".join("+" + c for c in DOCKER_CAPS),
               "--inh-caps", "-all"]
    if user is not None:
        setpriv += ["--reuid", str(user), "--regid", str(user), "--clear-groups"]
    setpriv.append("--")
    return subprocess.run(setpriv + argv, cwd=cwd, env=env, capture_output=True, text=True,
                          preexec_fn=lambda: _docker_seccomp(landlock), timeout=timeout)


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    out = Path(config["out"])
    report: dict = {}
    _open_up(_environment_paths(config["python"]))
    if config.get("cgroup_at_mount"):
        _mount(config["cgroup_at_mount"], str(MEMORY_CGROUP), "", 4096, "")  # MS_BIND
    root = _lay_out_autograder(config)
    if config.get("private_tmp"):  # after the layout, which reads the inputs (maybe in /tmp)
        held = os.open(out, os.O_PATH | os.O_DIRECTORY)  # the output folder, under the mount
        # The image's environment stays where it is (a checkout under /tmp, as a CI's may be):
        # each of its folders under /tmp is bound again into the new /tmp.
        under = [p for p in _environment_paths(config["python"])
                 if os.path.realpath(p).startswith("/tmp/")]
        kept = {p: os.open(os.path.realpath(p), os.O_PATH | os.O_DIRECTORY) for p in under}
        _mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777")
        for path, fd in kept.items():
            os.makedirs(os.path.realpath(path), exist_ok=True)
            _mount(f"/proc/self/fd/{fd}", os.path.realpath(path), "", 4096 | 16384, "")
        out = Path(f"/proc/self/fd/{held}")
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
           "HOME": "/root" if config["user"] is None else "/tmp",
           "DEEPGRADE_PYTHON": config["python"]}
    env.update({k: v for k, v in os.environ.items() if k == "FASHION_MNIST_DIR"})
    # The bundle's set-up steps that need no download: the sandbox check setup.sh ends with.
    setup = _as_container([config["python"], "-m", "deepgrade.gradescope", "--check"], "/",
                          env | {"PYTHONPATH": str(root / "source" / "python")},
                          config["landlock"], config["user"], timeout=300)
    report["setup"] = {"returncode": setup.returncode, "stderr": setup.stderr[-4000:]}
    command = config["command"] or [str(root / "run_autograder")]
    import time

    start = time.monotonic()
    proc = _as_container(command, str(root), env, config["landlock"], config["user"])
    report.update(returncode=proc.returncode, stdout=proc.stdout[-4000:],
                  stderr=proc.stderr[-8000:], seconds=time.monotonic() - start)
    results = root / "results" / "results.json"
    if results.exists():
        shutil.copy(results, out / "results.json")
    report["leftover"] = _leftover()
    report["results_mode"] = oct(os.stat(root / "results").st_mode & 0o777)
    (out / "container-report.json").write_text(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
