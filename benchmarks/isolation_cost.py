"""What deepgrade's isolation costs per submission, against the runner it replaces.

    .venv/bin/python benchmarks/isolation_cost.py [--homework hw1] [--repeat 5]

(1) The same submissions graded one at a time by `otter run` (otter's runner: tests inside the
    student's kernel, no isolation) and by `deepgrade grade --jobs 1` (separate grader, sandboxed
    kernel), in the same run; seconds per submission for each.
(2) The sandbox layers alone: kernel start + stop with every layer (uid, mount/PID/network
    namespaces, limits) against the same kernel with only session and limits, in one process.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))

from batch_throughput import make_variants, otter_bundle, run_otter  # noqa: E402


def start_stop(repeat: int) -> float:
    from deepgrade.grade.session import Session
    from deepgrade.project import Budgets

    times = []
    for i in range(repeat + 1):
        start = time.monotonic()
        with Session(Budgets()) as s:
            s.run_cells([(1, "x = 1")])
        if i:  # the first one starts the zygote
            times.append(time.monotonic() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homework", default="hw1")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--submissions", type=int, default=8)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="deepgrade-isolation-"))
    folder = scratch / "batch"
    folder.mkdir()
    paths = make_variants(args.homework, folder)
    keep = [p for p in paths if "hvp_forms_hessian" not in p.name][: args.submissions]
    for p in paths:
        if p not in keep:
            p.unlink()
    bundle = otter_bundle(args.homework, scratch)
    otter = run_otter(args.homework, keep, bundle, scratch)
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "deepgrade", "grade", args.homework, str(folder),
                    "--jobs", "1", "--out", str(scratch / "deep")], cwd=ROOT, capture_output=True)
    deep = (time.monotonic() - start) / len(keep)
    print(f"{len(keep)} {args.homework} submissions, one at a time:")
    print(f"  otter run: {statistics.median(otter):.2f} s per submission (median)")
    print(f"  deepgrade grade --jobs 1: {deep:.2f} s per submission (mean, start-up included)")

    from deepgrade.grade.kernel import sandbox

    full = start_stop(args.repeat)
    uid = sandbox.kernel_uid
    sandbox.kernel_uid = lambda: None  # session and limits only
    from deepgrade.grade.kernel import client as kernel

    kernel._zygote = None
    bare = start_stop(args.repeat)
    sandbox.kernel_uid = uid
    print(f"kernel start+stop, all layers: {full:.3f} s; session and limits only: {bare:.3f} s; "
          f"the uid, namespace and filesystem layers cost {full - bare:.3f} s per submission")


if __name__ == "__main__":
    main()
