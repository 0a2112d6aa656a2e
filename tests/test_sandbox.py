"""The trust boundary: cheating submissions earn nothing and leave nothing behind; broken ones
still get results, with a message, and keep the points the fault did not touch."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from deepgrade.grade.kernel import sandbox
from deepgrade.grade.bundle import Bundle
from deepgrade.grade.results import to_gradescope, write_results
from deepgrade.grade.runner import grade_submission
from deepgrade.project import Budgets

CORPUS = Path(__file__).parent / "corpus" / "cheats"
CHEATS = sorted(CORPUS.glob("*.py"))
# Attacks on the machine itself (fork bombs, killing every visible process, filling the disk)
# are only run where the kernel gets its own uid and namespaces, i.e. as root.
DESTRUCTIVE = {"09_fork_bomb.py", "16_trace_the_grader.py", "17_fill_the_disk.py"}
# Short budgets: each hang costs seconds, not the homework's real limits. Cheats run on the
# template (nothing heavy to compute); faults run on the reference (hvp's 10**5 case included).
FAST = Budgets(notebook_seconds=60, cell_seconds=4, test_seconds=4, memory_mb=1024)
CHEAT = Budgets(notebook_seconds=30, cell_seconds=2, test_seconds=1.5, memory_mb=1024)


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    b = Bundle.load(ROOT / "autograder" / "hw1" / "hw1-autograder.zip")
    return dataclasses.replace(b, budgets=FAST)


def notebook_with(base: Path, source: str, tmp_path: Path, at: int | None = None) -> Path:
    nb = nbformat.read(base, as_version=4)
    cell = nbformat.v4.new_code_cell(source)
    nb.cells.insert(len(nb.cells) if at is None else at, cell)
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i}"
    path = tmp_path / "submission.ipynb"
    nbformat.write(nb, path)
    return path


def kernel_processes() -> list[int]:
    """Processes owned by this grader's kernel uid (when sandboxed), or else descended from this
    test run, other than the kernel launcher itself. (Other graders on the machine have uids of
    their own.)"""
    import psutil

    if sandbox.is_root():
        uid = sandbox.kernel_uid()
        return [p.pid for p in psutil.process_iter(["uids"]) if p.info["uids"].real == uid]
    me = psutil.Process()
    return [p.pid for p in me.children(recursive=True)
            if "deepgrade.grade.kernel.zygote" not in " ".join(p.cmdline())]


@pytest.mark.parametrize("cheat", CHEATS, ids=lambda p: p.stem)
def test_cheats_earn_nothing_and_leave_nothing(cheat, bundle, tmp_path):
    if cheat.name in DESTRUCTIVE and not sandbox.is_root():
        pytest.skip("destructive attack: only run with the full sandbox (as root)")
    bundle = dataclasses.replace(bundle, budgets=CHEAT)
    path = notebook_with(ROOT / "student" / "hw1" / "hw1.ipynb", cheat.read_text(), tmp_path)
    start = time.monotonic()
    report = grade_submission(bundle, path)
    results = tmp_path / "results" / "results.json"
    write_results(report, results)
    assert time.monotonic() - start < 120
    earned = {q.name: q.score for q in report.questions if q.score > 0}
    assert not earned, f"{cheat.stem} earned points: {earned}"
    data = json.loads(results.read_text())
    assert data["score"] == 0 and len(data["tests"]) == len(bundle.questions)
    assert "seed_everything" not in results.read_text()  # no hidden test source leaks
    time.sleep(0.3)  # a daemon would still be writing now
    assert json.loads(results.read_text()) == data
    assert not kernel_processes(), "processes started by the submission are still running"
    assert not Path("/tmp/pwned").exists()


def test_the_corpus_covers_the_threat_model():
    threats = " ".join(p.read_text().splitlines()[0] for p in CHEATS)
    for line in ["read any file", "write anywhere", "patch any module", "builtins", "lie",
                 "inspect the stack", "daemon", "fork repeatedly", "memory without end",
                 "loop forever", "ignoring SIGTERM", "kill its own kernel", "print without end",
                 "network", "forge"]:
        assert line in threats, f"no cheating submission covers: {line}"
    assert len(CHEATS) >= 15


def test_layers_are_reported(bundle):
    report = grade_submission(bundle, ROOT / "solutions" / "hw1" / "hw1-solutions.ipynb")
    assert report.score == report.max_score
    from deepgrade.grade.kernel.client import zygote

    caps = zygote().probed()  # what this machine allows: every one of those layers is applied
    expected = {"session", "limits", "no-new-privs"}
    expected |= {"user"} if caps.root else set()
    expected |= {"mount-view", "pid-namespace", "net-namespace"} if caps.namespaces else set()
    expected |= {"landlock-fs"} if caps.landlock_abi else set()
    expected |= {"seccomp"} if caps.seccomp else set()
    assert expected <= set(report.layers)
    results = to_gradescope(report)
    # Staff read the layers in extra_data (and the log); the student's output leaves them out.
    assert results["extra_data"]["layers"] == report.layers
    assert "Sandbox layers" not in results["output"]


REFERENCE = ROOT / "solutions" / "hw1" / "hw1-solutions.ipynb"


@pytest.mark.parametrize("fault, message", [
    ("def broken(:\n    pass", "raised SyntaxError"),
    ("while True:\n    pass", "stopped after 4 s (time limit); skipped"),
    ("import os\nos._exit(3)", "the kernel exited with status 3; skipped"),
    ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", "SIGKILL"),
    ("import ctypes\nctypes.string_at(0)", "SIGSEGV"),
    ("x = bytearray(64 * 1024**3)", "ran out of memory (MemoryError"),
    ("raise RuntimeError('oops')", "raised RuntimeError: oops"),
])
def test_faulty_cell_is_reported_and_the_rest_keeps_its_points(fault, message, bundle, tmp_path):
    nb = nbformat.read(REFERENCE, as_version=4)
    middle = len(nb.cells) // 2
    path = notebook_with(REFERENCE, fault, tmp_path, at=middle)
    report = grade_submission(bundle, path)
    assert report.score == report.max_score, [
        (q.name, [c.message for c in q.cases if not c.passed]) for q in report.questions]
    output = to_gradescope(report)["output"]
    assert f"Cell {middle + 1} " in output and message in output, output


@pytest.mark.parametrize("content, message", [
    ("{ not json", "invalid JSON"),
    ("", "is empty"),
    ('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "has no cells"),
    ('["a list"]', "not a Jupyter notebook"),
])
def test_unreadable_submissions_get_zero_and_a_reason(content, message, bundle, tmp_path):
    path = tmp_path / "submission.ipynb"
    path.write_text(content)
    report = grade_submission(bundle, path)
    data = to_gradescope(report)
    assert data["score"] == 0 and message in data["output"]
    assert all(message in t["output"] for t in data["tests"])


def test_nbformat3_is_converted_and_graded(bundle, tmp_path):
    nb = nbformat.read(REFERENCE, as_version=4)
    path = tmp_path / "old.ipynb"
    path.write_text(nbformat.writes(nbformat.convert(nb, 3)))
    report = grade_submission(bundle, path)
    assert report.score == report.max_score
    assert "nbformat 3" in to_gradescope(report)["output"]


def test_unknown_kernel_is_run_as_python_with_a_note(bundle, tmp_path):
    nb = nbformat.read(REFERENCE, as_version=4)
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    path = tmp_path / "r.ipynb"
    nbformat.write(nb, path)
    report = grade_submission(bundle, path)
    assert report.score == report.max_score
    assert "kernel is 'ir'" in to_gradescope(report)["output"]


def test_a_hanging_test_call_costs_only_its_question(bundle, tmp_path):
    path = notebook_with(REFERENCE, "def mle_gaussian_mean(samples):\n    while True:\n        pass",
                         tmp_path)
    report = grade_submission(bundle, path)
    lost = {q.name for q in report.questions if q.score < q.max_score}
    assert lost == {"mle"}
    mle = report.by_name()["mle"]
    assert any("did not finish within the test's time limit" in c.message for c in mle.cases)


@pytest.mark.parametrize("proc_cgroup, mountinfo, expected", [
    # A container without a cgroup namespace: its own cgroup is mounted at the hierarchy's place.
    ("4:memory:/docker/abc\n", "35 31 0:32 /docker/abc /sys/fs/cgroup/memory ro - cgroup cgroup "
     "rw,memory", "/sys/fs/cgroup/memory"),
    # A host (or a test's simulated container): the whole hierarchy, the cgroup below it.
    ("4:memory:/sim/x\n", "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory",
     "/sys/fs/cgroup/memory/sim/x"),
    # cgroup v2 with a cgroup namespace: the process sees itself at the root.
    ("0::/\n", "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw", "/sys/fs/cgroup"),
])
def test_the_memory_cgroup_is_found_wherever_the_container_mounts_it(proc_cgroup, mountinfo,
                                                                    expected):
    assert str(sandbox.memory_cgroup_folder(proc_cgroup, mountinfo)[0]) == expected
