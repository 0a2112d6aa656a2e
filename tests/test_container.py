"""The trust boundary where it really runs: Gradescope's container (Docker's defaults: no
CAP_SYS_ADMIN, Docker's seccomp profile), and the other modes staff grade in (full root, non-root).

Each mode grades a probe notebook whose cells try, one per cell, what a hostile submission would
try (read the hidden tests, the submission, the solutions; write the results; leave a file
outside its scratch folder; reach the network; signal, trace or read the grader; keep a note in a
keyring or in System V memory; make a namespace) and report what happened in their error
message, which reaches results.json as the cell's outcome.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from container import DOCKER_CAP_MASK, run_in_container
from deepgrade.grade.kernel import landlock, sandbox

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="simulating a container needs root")
NOBODY = 65534
NOTE = "/tmp/deepgrade-probe-note"

PROBE = r'''
import ctypes, os, socket
libc = ctypes.CDLL(None, use_errno=True)
def probe(name, fn):
    try:
        outcome = fn()
    except PermissionError:
        outcome = "denied"
    except IndexError:  # no grader process in sight (a PID namespace)
        outcome = "none-visible"
    except OSError as exc:
        outcome = "denied" if exc.errno in (1, 13, 38) else f"failed{exc.errno}"
    raise Exception(f"PROBE {name}={outcome}")
def grader_pids():
    me = os.getpid()
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) != me:
            try:
                if b"deepgrade" in open(f"/proc/{pid}/cmdline", "rb").read():
                    found.append(int(pid))
            except OSError:
                pass
    return [p for p in found if os.stat(f"/proc/{p}").st_uid != os.getuid()] or found
'''
CELLS = {
    "read_tests": "probe('read_tests', lambda: open({tests!r}, 'rb').read(1) and 'READ')",
    "list_tests": "probe('list_tests', lambda: os.listdir({tests_dir!r}) and 'LISTED')",
    "read_submission": "probe('read_submission', lambda: open({submission!r}, 'rb').read(1) "
                       "and 'READ')",
    "read_solutions": "probe('read_solutions', lambda: open({solutions!r}, 'rb').read(1) "
                      "and 'READ')",
    "write_results": "probe('write_results', lambda: open({results!r}, 'w').write('{{}}') "
                     "and 'WROTE')",
    "outside_file": f"probe('outside_file', lambda: open({NOTE!r}, 'w').write('x') and 'WROTE')",
    "network": "probe('network', lambda: socket.create_connection(('127.0.0.1', {port}), 2) "
               "and 'CONNECTED')",
    "signal_grader": "probe('signal_grader', lambda: [os.kill(p, 0) for p in grader_pids()] "
                     "and 'SIGNALLED' or 'none-visible')",
    "trace_grader": "probe('trace_grader', lambda: (libc.ptrace(16, grader_pids()[0], 0, 0) == 0 "
                    "and 'TRACED') or (_ for _ in ()).throw(OSError(ctypes.get_errno(), 'x')))",
    "grader_environ": "probe('grader_environ', lambda: open(f'/proc/{{grader_pids()[0]}}/"
                      "environ', 'rb').read(1) and 'READ')",
    "keyring": "probe('keyring', lambda: (libc.syscall(248, b'user', b'dg-note', b'x', 1, -4) > 0 "
               "and 'STORED') or (_ for _ in ()).throw(OSError(ctypes.get_errno(), 'x')))",
    "sysv_shm": "probe('sysv_shm', lambda: (libc.syscall(29, 0, 4096, 0o1666) >= 0 and "
                "'CREATED') or (_ for _ in ()).throw(OSError(ctypes.get_errno(), 'x')))",
    "user_namespace": "probe('user_namespace', lambda: (libc.unshare(0x10000000) == 0 and "
                      "'ESCAPED') or (_ for _ in ()).throw(OSError(ctypes.get_errno(), 'x')))",
}
# refused; not in the kernel's view (ENOENT); unreachable (no route, refused)
SAFE = {"denied", "none-visible", "failed2", "failed111", "failed101"}


def probe_notebook(tmp_path: Path, paths: dict[str, str], port: int) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    nb.cells = [nbformat.v4.new_code_cell(PROBE)]
    nb.cells += [nbformat.v4.new_code_cell(c.format(port=port, **paths)) for c in CELLS.values()]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"p{i}"
    path = tmp_path / "hw1.ipynb"
    nbformat.write(nb, path)
    return path


def findings(results: dict) -> dict[str, str]:
    return dict(re.findall(r"PROBE (\w+)=([\w-]+)", results["output"]))


@pytest.fixture
def listener():
    """A TCP server on the loopback: a probe that reaches it has the network."""
    server = socket.create_server(("127.0.0.1", 0))
    yield server.getsockname()[1]
    server.close()


@pytest.fixture
def no_note():
    Path(NOTE).unlink(missing_ok=True)
    yield
    Path(NOTE).unlink(missing_ok=True)


HW1 = ROOT / "autograder" / "hw1" / "hw1-autograder.zip"
CONTAINER_PATHS = {"tests": "/autograder/source/tests/softmax.py",
                   "tests_dir": "/autograder/source/tests",
                   "submission": "/autograder/submission/hw1.ipynb",
                   "solutions": "/autograder/source/deepgrade.json",  # no solutions there
                   "results": "/autograder/results/results.json"}


def test_the_simulation_is_dockers_default(tmp_path):
    """The container really lacks what Docker withholds: 14 capabilities, no unshare/mount."""
    script = ("grep CapBnd /proc/self/status; unshare --mount true 2>/dev/null; echo unshare=$?; "
              "python3 -c 'import ctypes; print(\"keyctl\", ctypes.CDLL(None).syscall(250, 0))'")
    r = run_in_container(HW1, ROOT / "student" / "hw1" / "hw1.ipynb", tmp_path,
                         command=["sh", "-c", script])
    assert f"CapBnd:\t{DOCKER_CAP_MASK:016x}" in r["stdout"]
    assert "unshare=1" in r["stdout"] and "keyctl -1" in r["stdout"]


@pytest.mark.parametrize("with_landlock", [True, False], ids=["landlock", "no-landlock"])
def test_gradescope_container_probe(with_landlock, tmp_path, listener, no_note):
    """Docker's defaults: every probe is refused, with or without Landlock on the host."""
    nb = probe_notebook(tmp_path, CONTAINER_PATHS, listener)
    r = run_in_container(HW1, nb, tmp_path / "out", landlock=with_landlock)
    assert r["returncode"] == 0, r["stderr"]
    assert r["setup"]["returncode"] == 0 and "sandbox check passed" in r["setup"]["stderr"]
    found = findings(r["results"])
    assert set(found) == set(CELLS), r["results"]["output"]
    # Without Landlock the kernel may write to /tmp; what it leaves is removed at its end.
    allowed = {} if with_landlock else {"outside_file": "WROTE"}
    assert {k: v for k, v in found.items() if v not in SAFE} == allowed
    layers = r["results"]["extra_data"]["layers"]
    assert {"user", "seccomp", "no-new-privs", "limits"} <= set(layers)
    assert ("landlock-fs" in layers) == with_landlock and "mount-view" not in layers
    assert not Path(NOTE).exists() and r["leftover"] == []
    assert r["results_mode"] == "0o700" and r["results"]["score"] == 0


@pytest.mark.parametrize("hw", ["hw1", "hw4"])
def test_gradescope_container_grades_the_reference(hw, tmp_path):
    """The reference earns full marks in the container; the run's log names the mode."""
    r = run_in_container(ROOT / "autograder" / hw / f"{hw}-autograder.zip",
                         ROOT / "solutions" / hw / f"{hw}-solutions.ipynb", tmp_path)
    assert r["returncode"] == 0, r["stderr"]
    results = r["results"]
    assert results["score"] == sum(t["max_score"] for t in results["tests"]) > 0, \
        [t["output"] for t in results["tests"] if t["score"] < t["max_score"]]
    assert "sandbox mode container" in r["stderr"] and r["leftover"] == []


def test_gradescope_container_template_scores_zero(tmp_path):
    r = run_in_container(HW1, ROOT / "student" / "hw1" / "hw1.ipynb", tmp_path)
    assert r["returncode"] == 0 and r["results"]["score"] == 0


@pytest.mark.parametrize("at_mount", [False, True], ids=["cgroup-path", "cgroup-at-mount"])
def test_memory_blowup_under_768_mb_costs_only_its_cell(at_mount, tmp_path):
    """Under Gradescope's 768 MB, a cell that allocates without end loses only that cell, and
    is reported as running out of memory, wherever the container mounts its memory cgroup."""
    nb = nbformat.read(ROOT / "solutions" / "hw1" / "hw1-solutions.ipynb", as_version=4)
    blowup = nbformat.v4.new_code_cell("hog = []\nwhile True:\n    hog.append(bytearray(1 << 26))")
    nb.cells.insert(len(nb.cells) // 2, blowup)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i}"
    path = tmp_path / "hw1.ipynb"
    nbformat.write(nb, path)
    r = run_in_container(HW1, path, tmp_path / "out", memory_mb=768, cgroup_at_mount=at_mount)
    assert r["returncode"] == 0, r["stderr"]
    results = r["results"]
    assert results["score"] == 56, [t["output"] for t in results["tests"] if t["score"] < 4]
    assert re.search(r"Cell \d+ .*(memory|MemoryError)", results["output"]), results["output"]
    assert "SIGKILL" not in results["output"], results["output"]


def test_cheating_corpus_in_the_container(tmp_path):
    """The whole cheating and bad-input corpus, graded inside the simulated container."""
    command = [sys.executable, "-m", "pytest", "-q",
               "-p", "no:cacheprovider", str(ROOT / "tests" / "test_sandbox.py")]
    r = run_in_container(HW1, ROOT / "student" / "hw1" / "hw1.ipynb", tmp_path,
                         command=command, timeout=1200)
    assert r["returncode"] == 0, r["stdout"][-3000:]
    assert re.search(r"\d+ passed", r["stdout"]) and " failed" not in r["stdout"]
    assert r["leftover"] == []


def test_full_root_probe(tmp_path, listener, no_note):
    """Full root (a staff machine): namespaces, Landlock and seccomp together."""
    from deepgrade.grade.bundle import Bundle
    from deepgrade.grade.results import to_gradescope
    from deepgrade.grade.runner import grade_submission

    out = tmp_path / "out"
    out.mkdir()
    sandbox.protect(out)
    paths = {"tests": str(HW1), "tests_dir": str(HW1.parent),
             "submission": str(tmp_path / "hw1.ipynb"),
             "solutions": str(ROOT / "solutions" / "hw1" / "hw1-solutions.ipynb"),
             "results": str(out / "results.json")}
    report = grade_submission(Bundle.load(HW1), probe_notebook(tmp_path, paths, listener))
    found = findings(to_gradescope(report))
    assert set(found) == set(CELLS)
    # /tmp in the kernel's view is a private tmpfs: the note never reaches the real /tmp
    assert {k: v for k, v in found.items() if v not in SAFE} in ({}, {"outside_file": "WROTE"})
    assert {"user", "mount-view", "pid-namespace", "net-namespace", "seccomp"} <= \
        set(report.layers)
    assert not Path(NOTE).exists()


def test_non_root_probe(tmp_path, listener, no_note):
    """Not root: the kernel shares the grader's uid; Landlock and seccomp keep the boundary
    (files, network, signals); where Landlock is missing the results say what is exposed."""
    if landlock.abi_version() < 6:
        pytest.skip("needs Landlock ABI 6 (signal scoping) on this kernel")
    nb = probe_notebook(tmp_path, CONTAINER_PATHS, listener)
    r = run_in_container(HW1, nb, tmp_path / "out", user=NOBODY)
    assert r["returncode"] == 0, r["stderr"]
    found = findings(r["results"])
    assert set(found) == set(CELLS)
    assert {k: v for k, v in found.items() if v not in SAFE} == {}
    assert "sandbox mode unprivileged" in r["stderr"]
    assert "user" not in r["results"]["extra_data"]["layers"]


def test_non_root_without_landlock_says_what_is_exposed(tmp_path, listener):
    """The documented policy where nothing can hide the files: grade, and say so loudly."""
    nb = probe_notebook(tmp_path, CONTAINER_PATHS, listener)
    r = run_in_container(HW1, nb, tmp_path / "out", user=NOBODY, landlock=False)
    assert r["returncode"] == 0, r["stderr"]
    assert "staff: in this sandbox mode the submitted code could read" in r["results"]["output"]
    assert "WARNING" in r["stderr"]
    assert findings(r["results"])["network"] in SAFE  # seccomp still refuses IP sockets


def test_a_kernel_that_cannot_start_is_a_grader_fault(tmp_path):
    """A sandbox layer that fails is staff's problem: exit non-zero, not a silent 0."""
    script = ("import sys, runpy; from deepgrade.grade.kernel import sandbox\n"
              "sandbox.visible_paths = lambda: (_ for _ in ()).throw("
              "sandbox.SandboxError('simulated: the view cannot be built'))\n"
              "sys.argv = ['x', '--root', '/autograder']\n"
              "runpy.run_module('deepgrade.gradescope', run_name='__main__')")
    command = ["env", "PYTHONPATH=/autograder/source/python", sys.executable, "-c", script]
    r = run_in_container(HW1, ROOT / "solutions" / "hw1" / "hw1-solutions.ipynb", tmp_path,
                         command=command)
    assert r["returncode"] == 1
    assert "NOT GRADED (grader fault)" in r["stderr"] and "simulated" in r["stderr"]
    output = r["results"]["output"]
    assert "was not graded" in output and "staff have been told" in output
    assert all(t["score"] == 0 for t in r["results"]["tests"])


def test_unreadable_environment_is_a_loud_grader_fault(tmp_path):
    """An interpreter the kernel's user cannot read (uv's default under /root) is reported,
    not graded as 0."""
    caps = sandbox.Capabilities(root=True, namespaces=False, landlock_abi=0, seccomp=True,
                                problems=("the Python environment (/x) is not readable by "
                                          "unprivileged users: install it world-readable",))
    with pytest.raises(sandbox.SandboxError, match="world-readable"):
        sandbox.plan(tmp_path, 512, 60, caps)


def test_a_failed_kernel_start_leaves_no_folder(monkeypatch):
    """A kernel that cannot start raises GraderFault and leaves no scratch folder behind."""
    import tempfile

    from deepgrade.grade.kernel.client import GraderFault
    from deepgrade.grade.session import Session
    from deepgrade.project import Budgets

    made = []
    real_mkdtemp = tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda **kw: made.append(real_mkdtemp(**kw)) or made[-1])

    def broken() -> list[str]:
        raise sandbox.SandboxError("simulated")

    monkeypatch.setattr(sandbox, "visible_paths", broken)
    with pytest.raises(GraderFault, match="simulated"):
        with Session(Budgets()):
            pass
    assert made and not Path(made[0]).exists()


def test_graders_beside_each_other_never_touch_each_others_kernels(tmp_path):
    """A container with a /tmp of its own grades while a grader on the host grades too: neither
    kills the other's kernels (they once drew the same uid, and a kernel's teardown killed every
    process of it), so every grading on both sides keeps full marks."""
    import threading

    from deepgrade.grade.bundle import Bundle
    from deepgrade.grade.runner import grade_submission

    reference = ROOT / "solutions" / "hw1" / "hw1-solutions.ipynb"
    bundle = Bundle.load(HW1)
    host_scores: list[float] = []
    stop = threading.Event()

    def host_grader() -> None:
        while not stop.is_set():
            report = grade_submission(bundle, reference)
            host_scores.append(report.score - report.max_score)

    thread = threading.Thread(target=host_grader)
    thread.start()
    try:
        container_scores: list[float] = []
        lost: list[str] = []
        for run in range(2):
            r = run_in_container(HW1, reference, tmp_path / str(run), private_tmp=True)
            assert r["returncode"] == 0, r["stderr"][-2000:]
            results = r["results"]
            container_scores.append(results["score"] - sum(t["max_score"]
                                                           for t in results["tests"]))
            lost += [t["output"] for t in results["tests"] if t["score"] < t["max_score"]]
    finally:
        stop.set()
        thread.join()
    assert container_scores == [0, 0] and host_scores and set(host_scores) == {0}, \
        (container_scores, host_scores, lost)
