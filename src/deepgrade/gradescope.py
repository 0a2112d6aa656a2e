"""Gradescope's ``run_autograder``: grade ``ROOT/submission`` into ``ROOT/results/results.json``.

Whatever happens, a results.json is written. A submission that cannot be graded because of the
student (no notebook, a broken file) gets zero with a reason. A fault of the grader itself (a
sandbox layer that cannot be set up, a broken bundle, a bug) is never a grade: the student is told
their work was not graded and that staff have been told, the reason goes to the log (stderr), and
the exit status is non-zero.

``--check`` (run by setup.sh when Gradescope builds the image) starts one sandboxed kernel, runs a
cell in it and prints the sandbox mode to the build log, so a machine that cannot keep the
sandbox's promises is found before any student submits.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from deepgrade.grade.batch import no_notebook_report
from deepgrade.grade.bundle import CONFIG_NAME, Bundle, preload_setting
from deepgrade.grade.kernel import client, sandbox
from deepgrade.grade.kernel.client import GraderFault, Kernel, KernelFault
from deepgrade.grade.results import write_results
from deepgrade.grade.runner import NOT_GRADED, grade_submission, grader_fault_report
from deepgrade.grade.submissions import pick_notebook

# Gradescope's folders that student code must never read (tests, settings, other files of the
# submission, results) or write. They are root's alone while the kernel runs.
PRIVATE = ("source", "submission", "results")


def lock_down(root: Path) -> None:
    """``chmod o=`` the autograder's folders (Gradescope's own advice) and tell the sandbox that
    no kernel's view may include them."""
    for name in PRIVATE:
        path = root / name
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o700)
    os.chmod(root, 0o711)  # others may pass through (nothing to list), as the harness needs
    sandbox.protect(root, *(root / name for name in PRIVATE))


def staff_log(message: str) -> None:
    print(f"deepgrade: {message}", file=sys.stderr, flush=True)


def check() -> int:
    """Start a sandboxed kernel and run one cell: exit 0 only if grading can work here."""
    workdir = Path(tempfile.mkdtemp(prefix="deepgrade-check-"))
    kernel = Kernel(workdir, memory_mb=512, cpu_seconds=60)
    try:
        kernel.start()
        reply = kernel.request({"op": "run_cell", "source": "import numpy, torch; 1 + 1"},
                               time.monotonic() + 60)
        if not reply.get("ok"):
            raise GraderFault(f"a trivial cell failed in the kernel: {reply.get('error')}")
        staff_log(f"sandbox check passed; layers: {', '.join(kernel.layers)}")
        return 0
    except (GraderFault, KernelFault) as exc:
        staff_log(f"sandbox check FAILED: {exc}")
        return 1
    finally:
        kernel.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def process_seconds() -> float:
    """Seconds since this process started (the interpreter's own start-up included), from
    /proc: what a student waits for begins there, not at main()."""
    try:
        stat = Path("/proc/self/stat").read_text()
        ticks = int(stat[stat.rindex(")") + 2:].split()[19])  # field 22: starttime
        return time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def start_kernels_early(source: Path) -> None:
    """Start the kernels' zygote before anything secret is in this process (it may be a fork of
    it), with just what the bundle's ``preload`` names; a bundle that cannot be read is left to
    Bundle.load to report."""
    try:
        preload = preload_setting(json.loads((source / CONFIG_NAME).read_text()))
    except (OSError, ValueError, AttributeError):
        return
    client.start_early(preload)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("/autograder"))
    parser.add_argument("--check", action="store_true",
                        help="only check that a sandboxed kernel starts here (for setup.sh)")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    results = args.root / "results" / "results.json"
    # Where a Gradescope run's time goes (extra_data.timings, for staff and the benchmark):
    # the interpreter and deepgrade's imports, the kernels' launcher, reading the bundle.
    early = {"python": round(process_seconds(), 4)}
    clock = time.monotonic()
    start_kernels_early(args.root / "source")
    early["launcher"] = round(time.monotonic() - clock, 4)
    lock_down(args.root)
    try:
        bundle = Bundle.load(args.root / "source")
    except Exception as exc:  # the bundle itself is broken: tell staff, not the student
        staff_log(f"the autograder bundle could not be read: {exc}")
        results.write_text(json.dumps({"score": 0, "output": NOT_GRADED, "tests": []}, indent=2))
        return 1
    notebook = pick_notebook(args.root / "submission", bundle.homework)
    early["bundle"] = round(time.monotonic() - clock - early["launcher"], 4)
    if notebook is None:
        report = no_notebook_report(bundle, "(none)")
    else:
        try:
            report = grade_submission(bundle, notebook)
        except Exception as exc:  # a grader bug must still leave results for the student
            report = grader_fault_report(bundle, notebook.name, f"{type(exc).__name__}: {exc}")
            write_results(report, results, bundle.hidden_visibility)
            raise
    report.timings = early | report.timings
    report.seconds, report.whole_run = process_seconds(), True
    write_results(report, results, bundle.hidden_visibility)
    if report.grader_fault:
        staff_log(f"{bundle.homework}: NOT GRADED (grader fault): {report.grader_fault}")
        return 1
    staff_log(f"{bundle.homework}: {report.score:g}/{report.max_score:g}; "
              f"layers: {', '.join(report.layers)}")
    return 0


def run() -> int:
    """``main`` as run_autograder runs it: once results.json is written and the kernels are
    stopped, the process ends at once. Tearing down an interpreter that holds torch costs
    0.6 s of CPU (over a second at half a CPU) that the student would wait for."""
    code = main()
    atexit._run_exitfuncs()  # the zygote closed and waited for, the kernel uid's lock released
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
