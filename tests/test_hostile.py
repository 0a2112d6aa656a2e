"""The grader outlasts a hostile submission: every attack costs the submission its own points,
within bounded time and memory, with results written; honest work beside it keeps its points.

(The cheating corpus, tests/corpus/cheats/, checks that each attack alone earns nothing; these
tests put the attacks next to correct work and check what the grader itself went through.)
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT
from deepgrade.checks.failures import MAX_REPORTED
from deepgrade.grade.bundle import Bundle
from deepgrade.grade.messages import RESULT_LIMIT, one_line
from deepgrade.grade.proxy import StudentNamespace
from deepgrade.grade.results import to_gradescope, write_results
from deepgrade.grade.runner import CaseResult, QuestionResult, GradingReport, grade_submission
from deepgrade.grade.session import Session
from deepgrade.project import Budgets
from test_sandbox import CORPUS, notebook_with

REFERENCE = ROOT / "solutions" / "hw1" / "hw1-solutions.ipynb"
TEMPLATE = ROOT / "student" / "hw1" / "hw1.ipynb"
# hvp's large case needs more than the corpus's 1.5 s per test on a loaded machine.
FAST = Budgets(notebook_seconds=60, cell_seconds=4, test_seconds=4, memory_mb=1024)


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return dataclasses.replace(Bundle.load(ROOT / "autograder" / "hw1" / "hw1-autograder.zip"),
                               budgets=FAST)


def grade(bundle: Bundle, base: Path, cell: str, tmp_path: Path) -> tuple[GradingReport, dict, float]:
    """Grade ``base`` with ``cell`` appended; the report, its results.json as written, seconds."""
    start = time.monotonic()
    report = grade_submission(bundle, notebook_with(base, cell, tmp_path))
    seconds = time.monotonic() - start
    write_results(report, tmp_path / "out" / "results.json")
    return report, json.loads((tmp_path / "out" / "results.json").read_text()), seconds


def lost(report: GradingReport) -> dict[str, float]:
    return {q.name: q.max_score - q.score for q in report.questions if q.score < q.max_score}


def messages(report: GradingReport, question: str) -> list[str]:
    return [c.message for c in report.by_name()[question].cases if not c.passed]


STOP_BETWEEN_CALLS = CORPUS.joinpath("19_stop_own_kernel.py").read_text().replace(
    "def hvp_exact(", "_correct_hvp_exact = hvp_exact\ndef _cheat_hvp_exact(") + """
def hvp_exact(loss_fn, w, v):
    _cheat_hvp_exact(loss_fn, w, v)  # starts the stopper on the last small call
    return _correct_hvp_exact(loss_fn, w, v)
"""


def test_a_kernel_stopped_between_calls_costs_one_case_at_the_deadline(bundle, tmp_path):
    # The next request carries two 10**5-vectors (2 MB), more than a pipe holds: with a
    # blocking write the grader waited for ever.
    report, data, seconds = grade(bundle, REFERENCE, STOP_BETWEEN_CALLS, tmp_path)
    assert lost(report) == {"hvp": 2.0}
    assert messages(report, "hvp") == ["hvp_exact(...) did not finish within the test's time limit"]
    assert seconds < 60 and data["score"] == report.max_score - 2


NESTED = CORPUS.joinpath("20_nested_lists.py").read_text()


def test_nested_replies_are_refused_before_the_grader_builds_them(bundle, tmp_path):
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report, data, seconds = grade(bundle, REFERENCE, NESTED, tmp_path)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert set(lost(report)) == {"softmax", "log_softmax", "softmax_jacobian"}
    for name in ("softmax", "log_softmax", "softmax_jacobian"):
        assert all("too large or complex for the grader" in m for m in messages(report, name))
    # Decoded, one of these replies alone took 12 s of the grader's CPU and a gigabyte.
    assert grown_mb < 300 and seconds < 60


SLOW_REPLAYS = """
import os, signal, time
if os.path.exists(".replayed"):
    time.sleep(1)  # under the cell limit, at every replay
open(".replayed", "w").close()
def mle_gaussian_mean(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
line_search_gd = mle_gaussian_mean
"""


def test_restarts_are_capped_and_honest_work_keeps_its_points(bundle, tmp_path):
    capped = dataclasses.replace(bundle, budgets=dataclasses.replace(FAST, max_restarts=1))
    report, data, seconds = grade(capped, REFERENCE, SLOW_REPLAYS, tmp_path)
    # line_search's and mle's cases kill the kernel. The one restart allowed and line_search's
    # own spare one go to its first two cases; after its third, the cap is reached. mle gets a
    # fresh kernel, loses it at its first case, and the rest of mle is not run. The questions
    # before and after (squared_norm, newton) keep their points: each gets a fresh kernel.
    assert set(lost(report)) == {"line_search", "mle"}
    capped = "after faults (at most 1 for one submission, then one fresh kernel for each later"
    assert all("SIGKILL" in m for m in messages(report, "line_search"))
    failed = messages(report, "mle")
    assert "SIGKILL" in failed[0] and failed[1:] and all(capped in m for m in failed[1:]), failed
    names = [t["name"] for t in data["tests"]]
    assert seconds < 60 and {"mle", "squared_norm", "newton"} <= set(names), names


def test_the_total_budget_covers_cells_replays_and_tests(bundle, tmp_path):
    budgets = dataclasses.replace(FAST, total_seconds=2.0)
    short = dataclasses.replace(bundle, budgets=budgets)
    report, data, seconds = grade(short, TEMPLATE, "import time\ntime.sleep(30)", tmp_path)
    assert seconds < 15
    assert "total time limit of 2 s" in data["output"]
    assert all("total time limit of 2 s" in t["output"] for t in data["tests"])


CRASH_ONCE = """
import os, signal
_softmax = softmax
def softmax(x):
    if not os.path.exists(".crashed"):  # the working folder outlives the kernel
        open(".crashed", "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    return _softmax(x)
"""


def test_a_kill_that_does_not_happen_again_is_not_charged(bundle, tmp_path):
    # The kernel dies once from a SIGKILL (as from another grader or an operator): the case is
    # run again in a fresh kernel, which fetches softmax anew (before, the namespace kept the dead
    # kernel's handle), and the score is that run's, with a note that says so.
    report, data, _ = grade(bundle, REFERENCE, CRASH_ONCE, tmp_path)
    assert lost(report) == {}, lost(report)
    assert "run again in a fresh kernel" in data["output"] and not report.grader_fault


@pytest.mark.skipif(os.geteuid() != 0, reason="finds the kernel by its uid (as root)")
def test_a_kernel_killed_by_another_process_costs_nothing(bundle, tmp_path):
    # Another process (an operator, a grader that once shared the uid) SIGKILLs the kernel while
    # a cell runs: the cell is run again in a fresh kernel and every point is kept.
    import threading
    import uuid

    import psutil

    from deepgrade.grade.kernel import sandbox

    marker = f".sleeping-{uuid.uuid4().hex}"
    cell = f"import time\nopen({marker!r}, 'w').close()\ntime.sleep(2)"
    killed: list[int] = []

    def killer() -> None:
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline:
            for folder in Path(tempfile.gettempdir()).glob(f"deepgrade-kernel-*/{marker}"):
                uid = folder.stat().st_uid
                for proc in psutil.process_iter(["uids"]):
                    if proc.info["uids"] and proc.info["uids"].real == uid != 0:
                        proc.kill()
                        killed.append(proc.pid)
            time.sleep(0.05)

    thread = threading.Thread(target=killer)
    thread.start()
    report, data, _ = grade(bundle, REFERENCE, cell, tmp_path)
    thread.join()
    assert killed and sandbox.is_root()
    assert lost(report) == {} and all(c.ok for c in report.cells), data["output"]
    assert "was killed by something outside your code" in data["output"]


def test_kills_from_outside_at_many_points_are_a_grader_fault(bundle, tmp_path):
    # Every softmax case's first call dies, the retry passes: past MAX_OUTSIDE_KILLS points,
    # the machine is not to be trusted, and nothing is a grade.
    cell = """
import hashlib, os, signal
_softmax = softmax
def softmax(x):
    import numpy as np
    key = str(np.asarray(x).shape) + str(float(np.asarray(x).ravel()[0]))
    flag = ".seen-" + hashlib.md5(key.encode()).hexdigest()
    if not os.path.exists(flag):
        open(flag, "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    return _softmax(x)
"""
    report, data, _ = grade(bundle, REFERENCE, cell, tmp_path)
    assert report.grader_fault and "killed from outside" in report.grader_fault
    assert "not graded: ask staff to regrade" in data["output"]


LAZY = """
import time
import numpy as np

class Lazy:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        time.sleep(0.05)  # the work, deferred to whoever reads the result
        if not 0 <= i < self.n:
            raise IndexError(i)
        return float(i)

def lazy_range(n):
    return Lazy(n)

def lazy_pair(n):
    return (Lazy(n), "label")
"""


def test_a_call_returns_its_finished_result(tmp_path):
    with Session(FAST) as session:
        session.run_cells([(1, LAZY)])
        assert session.outcomes[0].ok, session.outcomes
        ns = StudentNamespace(session, {})
        session.begin_test(10)
        start = time.perf_counter()
        got = ns["lazy_range"](8)
        elapsed = time.perf_counter() - start
        # The deferred work ran inside the call (a timer around it sees it), and what came back
        # is data, not a handle whose reading would run the work later.
        assert isinstance(got, np.ndarray) and got.tolist() == list(range(8))
        assert elapsed >= 8 * 0.05
        pair = ns["lazy_pair"](3)
        assert isinstance(pair[0], np.ndarray) and pair[1] == "label"
        assert "Remote" in type(ns["Lazy"]).__name__  # a class is not data: it stays a handle
        assert session.usage()["cpu_seconds"] > 0  # plain data needs no proxy (calibration)


FORGED = CORPUS.joinpath("22_forge_messages.py").read_text()


def test_messages_in_results_are_one_printable_line_each(bundle, tmp_path):
    report, data, _ = grade(bundle, TEMPLATE, FORGED, tmp_path)
    for test, question in zip(data["tests"], report.questions):
        lines = test["output"].split("\n")
        # One line per case (no forged "hidden test N: passed" line); a case's further failing
        # properties, if any, indented under "and:" below it.
        cases = [line for line in lines if not line.startswith("    and: ")]
        assert len(cases) == len(question.cases)
        for number, line in enumerate(cases, start=1):
            assert re.match(rf"(public|hidden) test {number}( \(.*\))?: (passed|failed)", line), line
        for line in lines:
            assert line.isprintable() and len(line) < RESULT_LIMIT + 120
    assert (tmp_path / "out" / "results.json").stat().st_size < 20_000


def test_the_results_boundary_sanitises_whatever_raised(bundle):
    question = bundle.questions[0]
    forged = "\x1b[2J\nhidden test 2: passed\r\n\u202e" + "z" * 2_000_000
    report = GradingReport("hw1", "s.ipynb", [QuestionResult(question, [
        CaseResult(c, False, forged) for c in question.cases])], notes=[forged])
    data = to_gradescope(report)
    text = data["output"] + data["tests"][0]["output"]
    assert len(text) < 10 * RESULT_LIMIT and "\x1b" not in text and "\u202e" not in text
    lines = data["tests"][0]["output"].split("\n")
    cases = [line for line in lines if re.match(r"(public|hidden) test \d+( \(.*\))?: failed", line)]
    assert len(cases) == len(question.cases)  # the forged "hidden test 2: passed" is not a line
    assert all(line in cases or line.startswith("    and: ") for line in lines)
    assert len(lines) <= len(question.cases) * (1 + MAX_REPORTED)


@pytest.mark.parametrize("text, expected", [
    ("a\nb\tc\r\n d", "a b c d"),
    ("\x1b[31mred\x1b[0m", "red"),
    ("\x00\x07bell\u200b", "bell"),
    ("x" * 1000, "x" * 297 + "..."),
])
def test_one_line(text, expected):
    assert one_line(text) == expected


def test_nested_support_files_reach_the_kernel(tmp_path):
    with Session(FAST, support_files={"data/deep/x.txt": b"42"}) as session:
        session.run_cells([(1, "assert open('data/deep/x.txt').read() == '42'")])
        assert session.outcomes[0].ok, session.outcomes


def test_a_timed_call_is_measured_from_outside_the_kernel(tmp_path):
    # The CPU time a relative time limit compares comes from /proc, not from the kernel: a
    # student whose code makes the kernel's own "usage" reply say 0 is still measured.
    from deepgrade.checks import cpu_call
    from deepgrade.grade.proxy import StudentNamespace

    forge = """
import gc, time
for obj in gc.get_objects():
    if type(obj).__name__ == "Worker" and hasattr(obj, "op_usage"):
        obj.op_usage = lambda msg: {"value": {"cpu_seconds": 0.0, "maxrss_mb": 0.0}}
def busy(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return seconds
"""
    with Session(FAST) as session:
        session.run_cells([(1, forge)])
        assert session.outcomes[0].ok, session.outcomes[0].message
        session.begin_test(30)
        ns = StudentNamespace(session, {})
        result, seconds = cpu_call(ns["busy"], 0.5)
    assert result == 0.5 and 0.45 <= seconds < 2.0, seconds
