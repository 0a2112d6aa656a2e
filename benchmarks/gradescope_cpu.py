"""Each homework's reference graded on Gradescope's default container: half a CPU and 768 MB.

    .venv/bin/python benchmarks/gradescope_cpu.py [HW ...] [--repeat N] [--cpus 0.5] [--memory-mb 768]

Runs `deepgrade grade HW solutions/HW/HW-solutions.ipynb` in a fresh process held, with every
process it starts (zygote, kernel), to a cgroup v1 CPU quota and memory limit (no swap), as
Gradescope's container is; needs root. Prints per homework the wall time, the peak memory of
the cgroup (with page cache, and resident), the score, and the headroom on the homework's
notebook budget (`notebook_seconds` in assignments/<hw>/homework.toml divided by the time the
notebook's cells took); a homework passes when it gets full marks with at least 2x headroom.
The CPU share obtained (CPU seconds / wall seconds) is printed too: under 0.5 means the machine
was busy and the run got less than its quota.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from grading_cost import measure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HEADROOM = 2.0


def grade_once(hw: str, cpus: float, memory_mb: int) -> dict[str, float]:
    out = Path(tempfile.mkdtemp(prefix=f"deepgrade-gradescope-{hw}-"))
    notebook = ROOT / "solutions" / hw / f"{hw}-solutions.ipynb"
    run = measure(hw, notebook, cpus=cpus, memory_mb=memory_mb, out=str(out))
    [results] = out.glob("*/results.json")
    data = json.loads(results.read_text())
    run["score"] = data["score"]
    run["max_score"] = sum(t["max_score"] for t in data["tests"])
    run["cells_seconds"] = data["extra_data"]["timings"].get("cells", float("nan"))
    run["tests_seconds"] = data["extra_data"]["timings"].get("tests", float("nan"))
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("homeworks", nargs="*", default=["hw1", "hw2", "hw3", "hw4"])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cpus", type=float, default=0.5)
    parser.add_argument("--memory-mb", type=int, default=768)
    args = parser.parse_args()
    print(f"cgroup: {args.cpus} CPU, {args.memory_mb} MB, no swap; medians of {args.repeat} "
          "run(s) per homework")
    failures = []
    for hw in args.homeworks:
        runs = [grade_once(hw, args.cpus, args.memory_mb) for _ in range(args.repeat)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        budget = tomllib.loads((ROOT / "assignments" / hw / "homework.toml").read_text())[
            "budgets"]["notebook_seconds"]
        headroom = budget / med["cells_seconds"]
        full = all(r["score"] == r["max_score"] for r in runs)
        print(f"{hw}: wall {med['wall_seconds']:.1f} s (cells {med['cells_seconds']:.1f} s, "
              f"tests {med['tests_seconds']:.1f} s), CPU {med['cpu_seconds']:.1f} s "
              f"(share {med['cpu_seconds'] / med['wall_seconds']:.2f}), peak "
              f"{med['peak_with_cache_mb']:.0f} MB with page cache, "
              f"{med['peak_resident_mb']:.0f} MB resident, OOM kills {med['oom_kills']:.0f}; "
              f"score {med['score']:g}/{med['max_score']:g}; notebook budget {budget:g} s: "
              f"{headroom:.1f}x headroom")
        if not full:
            failures.append(f"{hw} lost points ({[r['score'] for r in runs]})")
        if headroom < HEADROOM:
            failures.append(f"{hw} has {headroom:.1f}x headroom on its notebook budget "
                            f"(wanted {HEADROOM:g}x)")
    print("all homeworks: full marks with at least 2x headroom" if not failures
          else "NOT MET: " + "; ".join(failures))


if __name__ == "__main__":
    main()
