"""What a student waits for on Gradescope: one whole run of ``run_autograder``, start-up included.

    .venv/bin/python benchmarks/gradescope_latency.py [HW ...] [--repeat N] [--cpus 0.5]
                                        [--memory-mb 768] [--no-otter] [--bundles DIR]

Each homework's reference is graded in the simulated Gradescope container of tests/container.py
(fresh PID, mount, IPC and UTS namespaces, Docker's 14 capabilities and seccomp refusals, a
private /tmp), held to ``--cpus`` of CPU (cgroup v1 quota) and ``--memory-mb``; the bundle's
set-up check runs first, as setup.sh runs it when Gradescope builds the image, and is not
timed. Needs root.

Printed per homework, medians of ``--repeat`` runs taken alternately with otter's:
- the wall time of run_autograder alone, and where it went (results.json's extra_data.timings):
  ``python`` the interpreter and deepgrade's imports, ``launcher`` starting the kernels' zygote
  (numpy and torch imported, then forked), ``bundle`` reading the bundle and the submission,
  ``start`` the first kernel (waiting for the zygote's imports and its probe of the machine),
  ``cells`` the student's cells, ``tests`` the hidden tests, ``stop`` the teardown, and ``rest``
  what no phase accounts for (writing results, the interpreter's exit);
- the score, and whether it is full marks;
- otter's own autograder of the same master (otter assign, generate on) on its solutions in
  the same container, started as its run_autograder starts it (run_otter.py in the image's
  environment), and the ratio.
- ``floor``: in the same container, alternately, an interpreter that only imports NumPy and
  torch (``python -c "import numpy, torch"``, the kernels' thread settings): the least any run
  that grades with torch can take, since the student's kernel needs torch.
The targets of issue 23 are printed beside each homework: hw1, hw2 6 s, hw3 8 s, hw4 15 s,
and at least 3x faster than otter.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_throughput import otter_bundle  # noqa: E402
from container import run_in_container  # noqa: E402

TARGETS = {"hw1": 6.0, "hw2": 6.0, "hw3": 8.0, "hw4": 15.0}
PHASES = ("python", "launcher", "bundle", "start", "cells", "tests", "stop")


def deepgrade_run(hw: str, cpus: float, memory_mb: int, bundles: Path) -> dict[str, float]:
    out = Path(tempfile.mkdtemp(prefix=f"deepgrade-latency-{hw}-"))
    report = run_in_container(bundles / hw / f"{hw}-autograder.zip",
                              ROOT / "solutions" / hw / f"{hw}-solutions.ipynb", out,
                              memory_mb=memory_mb, cpus=cpus, private_tmp=True)
    results = report["results"]
    if report["returncode"] != 0 or results is None:
        raise SystemExit(f"{hw}: run_autograder failed ({report['returncode']}): "
                         f"{report['stderr'][-500:]}")
    timings = results.get("extra_data", {}).get("timings", {})
    run = {"wall": report["seconds"], "score": results["score"],
           "max": sum(t["max_score"] for t in results["tests"]),
           "execution_time": results.get("execution_time", float("nan"))}
    run |= {p: float(timings.get(p, float("nan"))) for p in PHASES}
    run["rest"] = run["wall"] - sum(run[p] for p in PHASES if run[p] == run[p])
    return run


def floor_run(hw: str, cpus: float, memory_mb: int, bundles: Path) -> float:
    """Wall seconds of ``python -c "import numpy, torch"`` in the same container."""
    out = Path(tempfile.mkdtemp(prefix=f"deepgrade-latency-floor-{hw}-"))
    command = ["/usr/bin/env", "PYTHONHASHSEED=0", "OMP_NUM_THREADS=1", "OPENBLAS_NUM_THREADS=1",
               "MKL_NUM_THREADS=1", sys.executable, "-c", "import numpy, torch"]
    report = run_in_container(bundles / hw / f"{hw}-autograder.zip",
                              ROOT / "solutions" / hw / f"{hw}-solutions.ipynb", out,
                              memory_mb=memory_mb, cpus=cpus, private_tmp=True, command=command)
    if report["returncode"] != 0:
        raise SystemExit(f"{hw}: importing numpy and torch failed: {report['stderr'][-500:]}")
    return float(report["seconds"])


def otter_run(hw: str, bundle: Path, notebook: Path, cpus: float, memory_mb: int) -> float:
    out = Path(tempfile.mkdtemp(prefix=f"deepgrade-latency-otter-{hw}-"))
    report = run_in_container(bundle, notebook, out, memory_mb=memory_mb, cpus=cpus,
                              private_tmp=True,
                              command=[sys.executable, "/autograder/source/run_otter.py"])
    if report["results"] is None:
        raise SystemExit(f"{hw}: otter's run_autograder wrote no results: "
                         f"{report['stderr'][-500:]}")
    return float(report["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("homeworks", nargs="*", default=["hw1", "hw2", "hw3", "hw4"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cpus", type=float, default=0.5)
    parser.add_argument("--memory-mb", type=int, default=768)
    parser.add_argument("--no-otter", action="store_true", help="deepgrade's runs only")
    parser.add_argument("--bundles", type=Path, default=ROOT / "autograder",
                        help="where HW/HW-autograder.zip are (another build's, to compare)")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="deepgrade-latency-"))
    print(f"simulated Gradescope container: {args.cpus} CPU, {args.memory_mb} MB, private /tmp;"
          f" medians of {args.repeat} run(s), deepgrade and otter alternately", flush=True)
    print(f"{'hw':4} {'wall':>6} " + " ".join(f"{p:>8}" for p in (*PHASES, "rest")) +
          f" {'score':>9} {'floor':>6} {'otter':>6} {'ratio':>6}  target", flush=True)
    missed = []
    for hw in args.homeworks:
        bundle = None if args.no_otter else otter_bundle(hw, scratch)
        runs, otter, floor = [], [], []
        for _ in range(args.repeat):
            runs.append(deepgrade_run(hw, args.cpus, args.memory_mb, args.bundles))
            floor.append(floor_run(hw, args.cpus, args.memory_mb, args.bundles))
            if bundle is not None:
                otter.append(otter_run(hw, bundle, ROOT / "solutions" / hw /
                                       f"{hw}-solutions.ipynb", args.cpus, args.memory_mb))
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        full = all(r["score"] == r["max"] for r in runs)
        o = statistics.median(otter) if otter else float("nan")
        ratio = o / med["wall"]
        ok = med["wall"] <= TARGETS.get(hw, float("inf")) and (not otter or ratio >= 3) and full
        missed += [] if ok else [hw]
        print(f"{hw:4} {med['wall']:6.1f} " + " ".join(f"{med[p]:8.2f}" for p in
                                                         (*PHASES, "rest")) +
              f" {med['score']:4g}/{med['max']:<4g} {statistics.median(floor):6.1f} {o:6.1f} {ratio:5.1f}x  "
              f"<= {TARGETS.get(hw, float('nan')):g} s, >= 3x: {'met' if ok else 'MISSED'}"
              f"{'' if full else ' (NOT full marks)'}", flush=True)
        walls = " ".join(f"{r['wall']:.1f}" for r in runs)
        others = " ".join(f"{w:.1f}" for w in otter)
        print(f"     walls: {walls}; floor: {' '.join(f'{w:.1f}' for w in floor)}" +
              (f"; otter: {others}" if otter else ""), flush=True)
    if missed:
        print(f"targets missed: {', '.join(missed)}")


if __name__ == "__main__":
    main()
