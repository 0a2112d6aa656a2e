"""The kernels' zygote: one process (one Python and torch start-up) for every grader of a run,
a server per grader, and a grader's kernels die with their grader."""

from __future__ import annotations

import os
import time
from pathlib import Path

from deepgrade.grade import batch
from deepgrade.grade.bundle import Bundle
from deepgrade.grade.kernel import client
from deepgrade.grade.runner import GradingReport, failed_report
from deepgrade.project import Homework

ROOT = Path(__file__).resolve().parents[1]


def _bundle() -> Bundle:
    return Bundle.for_homework(Homework("hw1", ROOT))


def _who_serves(bundle: Bundle, path: Path) -> GradingReport:
    """In a forked grader: which grader, zygote process and server this is."""
    z = client.zygote()
    z.probed()
    return failed_report(bundle, path.name, f"{os.getpid()} {z.process.pid} {z.server}")


def test_one_zygote_process_serves_every_grader(monkeypatch, tmp_path):
    bundle = _bundle()
    monkeypatch.setattr(batch, "grade_submission", _who_serves)
    paths = [tmp_path / f"{i}.ipynb" for i in range(6)]
    reports = batch.grade_many(bundle, paths, jobs=2)
    graders, zygotes, servers = zip(*(r.notes[0].split() for r in reports))
    assert len(set(graders)) == 2, graders  # two graders...
    assert len(set(zygotes)) == 1, zygotes  # ...one zygote process, loaded once...
    assert len(set(servers)) == 2 and not set(servers) & set(zygotes)  # ...a server each


def _kernel_then_die(bundle: Bundle, path: Path) -> GradingReport:
    """"die": start a real kernel, note its pid, and kill this grader with the kernel running."""
    if path.stem == "die":
        workdir = path.parent / f"work-{os.getpid()}"
        workdir.mkdir()
        kernel = client.Kernel(workdir, memory_mb=512)
        kernel.start()
        with (path.parent / "kernels").open("a") as f:
            f.write(f"{kernel.pid}\n")
        os._exit(9)
    return failed_report(bundle, path.name, "graded")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_dead_graders_kernels_are_killed_at_once(monkeypatch, tmp_path):
    """The grader that dies leaves a kernel running; the kernel is gone while the batch goes
    on (not at the end of the run)."""
    bundle = _bundle()
    monkeypatch.setattr(batch, "grade_submission", _kernel_then_die)
    left: list[int] = []

    def on_report(i: int, report: GradingReport) -> None:
        if i == 0:  # the grader died twice with "die" (once more alone): both kernels ran
            pids = [int(p) for p in (tmp_path / "kernels").read_text().split()]
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and any(_running(p) for p in pids):
                time.sleep(0.05)
            left.extend([len(pids)] + [p for p in pids if _running(p)])

    names = ["die", "a"]
    reports = batch.grade_many(bundle, [tmp_path / f"{n}.ipynb" for n in names], jobs=2,
                               names=names, on_report=on_report)
    assert batch.is_grader_fault(reports[0])
    assert left == [2]  # two kernels were started, none is left


def test_a_zombie_is_not_a_running_process_of_its_uid():
    """A kernel's exited, not yet reaped process runs nothing: the teardown must not wait for
    it to go (it once forked twenty times per kernel in the container mode, 0.6 s)."""
    from deepgrade.grade.kernel import sandbox

    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and "Z" not in _state(pid):
            time.sleep(0.01)
        assert "Z" in _state(pid)
        assert not sandbox._owned_by(os.getuid(), str(pid))
        assert sandbox._owned_by(os.getuid(), str(os.getpid()))
    finally:
        os.waitpid(pid, 0)


def _state(pid: int) -> str:
    with open(f"/proc/{pid}/status") as f:
        return next(line for line in f if line.startswith("State:"))


def test_killing_by_uid_forks_nothing_when_nothing_of_it_runs(monkeypatch):
    from deepgrade.grade.kernel import sandbox

    def no_fork() -> int:
        raise AssertionError("forked to kill a uid that runs nothing")

    monkeypatch.setattr(os, "fork", no_fork)
    sandbox.kill_uid(sandbox.UID_LOW - 7)  # a uid no process has


FORKED = """
import json, os, sys, time
from pathlib import Path
os.environ["DEEPGRADE_TEST_SECRET"] = "grader only"
# Held by a module, so that they live as long as the process (the control: copied into kernels)
json.BEFORE = {"k": "".join(["before ", "the fork"])}
from deepgrade.grade.kernel import client
assert client.forkable()
client.start_early(["matplotlib"])
z = client._zygote
forked = isinstance(z.process, client.ForkedProcess)
json.AFTER = {"k": "".join(["hidden ", "test text"])}  # what a grader reads after forking
kernel = client.Kernel(Path(sys.argv[1]), memory_mb=1024, cpu_seconds=60)
kernel.start()
probe = '''
import json, os, sys
seen = (os.environ.get("DEEPGRADE_TEST_SECRET"), os.environ.get("PYTHONHASHSEED"),
        "matplotlib.pyplot" in sys.modules, "torch" in sys.modules,
        hasattr(sys.modules.get("json"), "AFTER"), hasattr(sys.modules.get("json"), "BEFORE"))
seen = list(seen)
'''
assert kernel.request({"op": "run_cell", "source": probe}, time.monotonic() + 60)["ok"]
seen = kernel.request({"op": "get", "name": "seen"}, time.monotonic() + 60)["value"]
kernel.stop()
print(json.dumps({"forked": forked, "seen": seen, "zygote": z.process.pid}))
"""


def test_run_autograder_forks_its_zygote_before_reading_anything_secret(tmp_path):
    # run_autograder's settings (PYTHONHASHSEED=0, one thread) make the grader forkable: the
    # zygote is a fork of it, with the libraries imported once. What the grader holds after the
    # fork never reaches a kernel, nor do its environment variables.
    import json
    import subprocess
    import sys

    env = dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1")
    (tmp_path / "work").mkdir()
    run = subprocess.run([sys.executable, "-c", FORKED, str(tmp_path / "work")], env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["forked"]
    secret, hashseed, mpl, torch, after, before = out["seen"]
    assert secret is None and hashseed == "0"
    assert mpl and torch  # imported once, before the fork, and shared
    # what the grader held before the fork is in the kernel (so nothing secret may be: the
    # zygote is forked before the bundle is read); what it read after is not
    assert before and not after
    assert not _running(out["zygote"])  # gone with its grader


def test_a_grader_started_otherwise_starts_a_fresh_zygote_process():
    # Without run_autograder's settings (a hash seed of its own, say), forking would hand the
    # kernels the grader's interpreter state: a new process is started instead.
    env = dict(os.environ)
    env.pop("PYTHONHASHSEED", None)
    import subprocess
    import sys

    code = ("from deepgrade.grade.kernel import client; print(client.forkable())")
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.stdout.strip() == "False", run.stderr
