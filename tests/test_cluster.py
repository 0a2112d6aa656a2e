"""Grading on a real Dask cluster (a scheduler and workers on this machine, loopback only): the
same results as local grading, a worker killed half-way, and the errors people meet."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, run_cli
from deepgrade.grade import cluster
from deepgrade.grade.bundle import Bundle
from deepgrade.grade.runner import failed_report
from deepgrade.validate.variants import read_variants, splice

START_SECONDS = 180  # a worker on a busy machine imports dask, deepgrade and torch
BATCH_SECONDS = 420


class LocalCluster:
    """``dask scheduler`` and ``dask worker`` processes, each in its own process group."""

    def __init__(self, folder: Path, src: Path = ROOT / "src") -> None:
        self.folder, self.src = folder, src
        self.file = folder / "scheduler.json"
        self.workers: list[subprocess.Popen] = []
        self.scheduler = self._start("scheduler", ["--scheduler-file", str(self.file)])
        deadline = time.monotonic() + START_SECONDS
        while not self.file.is_file():
            assert self.scheduler.poll() is None, (folder / "scheduler.log").read_text()
            assert time.monotonic() < deadline, "the Dask scheduler did not start"
            time.sleep(0.2)
        time.sleep(0.2)  # the file is written whole, but let the writer close it
        self.address = json.loads(self.file.read_text())["address"]

    def _start(self, kind: str, args: list[str], src: Path | None = None) -> subprocess.Popen:
        env = dict(os.environ, PYTHONPATH=str(src or self.src))
        log = open(self.folder / f"{kind}.log", "a")
        return subprocess.Popen(
            [sys.executable, "-m", f"distributed.cli.dask_{kind.split('-')[0]}", *args,
             "--host", "127.0.0.1", "--no-dashboard"] + (["--port", "0"] if kind == "scheduler"
                                                        else []),
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, cwd=self.folder)

    def add_worker(self, nthreads: int = 1, src: Path | None = None) -> subprocess.Popen:
        worker = self._start(f"worker-{len(self.workers)}",
                             [self.address, "--nthreads", str(nthreads), "--death-timeout",
                              "60"], src)
        self.workers.append(worker)
        return worker

    def client(self):
        from distributed import Client

        return Client(self.address, timeout=30, set_as_default=False)

    def wait_for_workers(self, n: int) -> None:
        with self.client() as client:
            client.wait_for_workers(n, timeout=START_SECONDS)

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL the process and all of its group (a worker's nanny and worker process)."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            self.kill(process)


@pytest.fixture
def dask_cluster(tmp_path):
    started = LocalCluster(tmp_path)
    yield started
    started.close()


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """hw1's reference, its student template, and mutants of three different questions."""
    folder = tmp_path_factory.mktemp("submissions")
    reference = nbformat.read(ROOT / "solutions" / "hw1" / "hw1-solutions.ipynb", as_version=4)
    nbformat.write(reference, folder / "reference.ipynb")
    shutil.copy(ROOT / "student" / "hw1" / "hw1.ipynb", folder / "template.ipynb")
    variants = {v.name: v for v in read_variants(ROOT / "assignments" / "hw1" / "mutants",
                                                 "mutant")}
    for name in ("decay_sign", "graph_one_path", "hessian_mean", "softmax_no_shift"):
        if name in variants:
            nbformat.write(splice(reference, variants[name]), folder / f"mutant-{name}.ipynb")
    assert len(list(folder.glob("mutant-*.ipynb"))) >= 3
    return folder


@pytest.fixture(scope="module")
def local(batch, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local")
    result = run_cli("grade", "hw1", batch, "--jobs", "2", "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def graded(out: Path) -> dict[str, dict]:
    """Each submission's results.json without what is timing (execution time, timings)."""
    results = {}
    for path in sorted(out.glob("*/results.json")):
        data = json.loads(path.read_text())
        data.pop("execution_time")
        data["extra_data"].pop("timings")
        results[path.parent.name] = data
    return results


@pytest.mark.slow
def gradebook_rows(folder: Path) -> list[dict[str, str]]:
    """gradebook.csv's rows, without the time each grading was recorded."""
    import csv

    with (folder / "gradebook.csv").open(newline="") as f:
        return [{k: v for k, v in row.items() if k != "graded_at"} for row in csv.DictReader(f)]


def test_cluster_grades_as_locally_when_a_worker_dies_half_way(batch, local, dask_cluster,
                                                               tmp_path):
    # Two threads on one worker: its grader must still take one submission at a time.
    doomed, survivor = dask_cluster.add_worker(nthreads=2), dask_cluster.add_worker()
    dask_cluster.wait_for_workers(2)
    out = tmp_path / "out"
    cli = subprocess.Popen([sys.executable, "-m", "deepgrade", "grade", "hw1", str(batch),
                            "--cluster", dask_cluster.address, "--out", str(out)], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    def graded_so_far(dask_scheduler) -> int:  # runs on the scheduler (sent by value)
        return sum(1 for key, task in dask_scheduler.tasks.items()
                   if str(key).startswith("deepgrade-hw1-") and task.state == "memory")

    # Half-way: once one submission is graded, kill the doomed worker while it grades another.
    deadline = time.monotonic() + BATCH_SECONDS
    killed_with: list[str] = []
    with dask_cluster.client() as client:
        doomed_address = None
        while not killed_with:
            assert cli.poll() is None, cli.communicate()
            assert time.monotonic() < deadline, "no worker was ever seen grading"
            if doomed_address is None:
                ours = [w for w, info in client.scheduler_info()["workers"].items()
                        if info["nthreads"] == 2]
                doomed_address = ours[0] if ours else None
            done = client.run_on_scheduler(graded_so_far)
            busy = [k for k in client.processing().get(doomed_address, ())
                    if str(k).startswith("deepgrade-hw1-")]
            if done >= 1 and busy:
                dask_cluster.kill(doomed)
                killed_with = busy
            time.sleep(0.1)
    stdout, stderr = cli.communicate(timeout=max(deadline - time.monotonic(), 1))
    assert cli.returncode == 0, stderr
    assert "Traceback" not in stderr
    total = len(list(batch.glob("*.ipynb")))
    # The untouched template is recognised before grading; every other one reaches a worker.
    assert f"graded {total - 1}/{total - 1}" in stderr
    assert "sandbox layers:" in stdout and "reference" in stdout
    # Every result, the gradebook and the scores are those of local grading.
    assert graded(out) == graded(local)
    assert len(graded(out)) == total
    assert gradebook_rows(out) == gradebook_rows(local)
    reference = json.loads((out / "reference" / "results.json").read_text())
    assert reference["score"] == 56


@pytest.mark.slow
def test_a_worker_running_other_code_is_refused(batch, dask_cluster, tmp_path):
    other = tmp_path / "other-src"
    shutil.copytree(ROOT / "src", other, ignore=shutil.ignore_patterns("__pycache__"))
    runner = other / "deepgrade" / "grade" / "runner.py"
    runner.write_text(runner.read_text() + "\n# an edit on that machine only\n")
    dask_cluster.add_worker(src=other)
    dask_cluster.wait_for_workers(1)
    result = run_cli("grade", "hw1", batch / "reference.ipynb", "--cluster",
                     dask_cluster.address, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "runs other code than this machine: deepgrade source" in result.stderr
    assert not (tmp_path / "out" / "reference").exists()


def test_unreachable_scheduler_and_jobs_are_one_line_errors(tmp_path):
    result = run_cli("grade", "hw1", ROOT / "student" / "hw1" / "hw1.ipynb", "--cluster",
                     "tcp://127.0.0.1:9", "--out", tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "could not reach a Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    result = run_cli("grade", "hw1", ROOT / "student" / "hw1" / "hw1.ipynb", "--cluster",
                     "tcp://127.0.0.1:9", "--jobs", "2")
    assert result.returncode == 2 and "--jobs and --cluster" in result.stderr


def test_a_task_refuses_a_worker_whose_environment_differs():
    expected = dict(cluster.environment(), torch="0.0.1")
    with pytest.raises(cluster.WorkerMismatch, match=r"torch 2\.13\.0\S* \(here 0\.0\.1\)"):
        cluster.grade_task(None, "x", "x.ipynb", b"{}", expected)  # type: ignore[arg-type]


def test_report_travels_as_plain_data():
    bundle = Bundle.load(ROOT / "autograder" / "hw1" / "hw1-autograder.zip")
    report = failed_report(bundle, "late.ipynb", "no notebook")
    report.layers, report.timings, report.seconds = ["session"], {"cells": 0.5}, 1.25
    report.questions[0].cases[0].passed = True
    data = cluster.report_to_data(report)
    json.dumps(data)  # plain data only
    assert bundle.questions[0].cases[0].code not in json.dumps(data)
    back = cluster.report_from_data(bundle, data)
    assert back == report
