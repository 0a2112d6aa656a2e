"""Batch grading throughput: `otter run` one after another (the anchor) against
`deepgrade grade --jobs 2`, on the same submissions in the same run.

    .venv/bin/python benchmarks/batch_throughput.py [--homeworks hw1] [--count 200] [--jobs 2]

The batch is, per homework, ``--count`` submissions cycling through its reference solution,
alternates and mutants (spliced into the reference as `deepgrade validate` does), each under its
own file name. Variants that hit a time limit in deepgrade (a mutant that forms a 10**5 x 10**5
Hessian, say) are left out of both sides: otter's runner has no time limit and would hang on
them. `otter run` starts a fresh process per submission, so its cost per submission does not
depend on the batch: it grades a sample spread over the batch (``--otter-sample``, 20), half
before deepgrade's run and half after it, so a change in the machine's load weighs on both
sides alike; every otter run is checked to have written its results.json. Prints submissions per minute for
each runner, their ratio, the medians of deepgrade's per-submission timings, its start-up and
wind-down, and its overhead per submission beyond the student's cells and the tests (whole-run
accounting: wall time x jobs / submissions, minus the mean cells and tests time). The machine's
load average is printed before and after: on a shared machine compare the ratios, not the
absolute figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from deepgrade.validate.variants import read_variants, splice  # noqa: E402


def make_variants(hw: str, folder: Path) -> list[Path]:
    """The reference, each alternate and each mutant, once."""
    reference = nbformat.read(ROOT / "solutions" / hw / f"{hw}-solutions.ipynb", as_version=4)
    paths = [folder / "reference.ipynb"]
    nbformat.write(reference, paths[0])
    for kind in ("alternates", "mutants"):
        for v in read_variants(ROOT / "assignments" / hw / kind, kind[:-1]):
            paths.append(folder / f"{kind[:-1]}-{v.name}.ipynb")
            nbformat.write(splice(reference, v), paths[-1])
    return paths


def make_batch(variants: list[Path], folder: Path, count: int) -> list[Path]:
    """``count`` submissions cycling through ``variants``, each under its own name."""
    paths = []
    for i in range(count):
        source = variants[i % len(variants)]
        paths.append(folder / f"{i:03d}-{source.stem}.ipynb")
        shutil.copy(source, paths[-1])
    return paths


def otter_bundle(hw: str, scratch: Path) -> Path:
    """otter's own autograder zip for the same master (otter assign with generate on)."""
    nb = nbformat.read(ROOT / "assignments" / hw / f"{hw}.ipynb", as_version=4)
    config = yaml.safe_load(nb.cells[0].source.split("\n", 1)[1])
    config.update({"generate": True, "run_tests": False, "tests": {"files": True}})
    nb.cells[0].source = "# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config)
    src = scratch / f"otter-{hw}"
    src.mkdir()
    nbformat.write(nb, src / f"{hw}.ipynb")
    subprocess.run([sys.executable, "-m", "otter", "assign", f"{hw}.ipynb", "dist"], cwd=src,
                   check=True, capture_output=True)
    return next((src / "dist" / "autograder").glob("*.zip"))


def run_deepgrade(hw: str, folder: Path, out: Path, jobs: int) -> float:
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "deepgrade", "grade", hw, str(folder), "--jobs",
                    str(jobs), "--out", str(out)], cwd=ROOT, capture_output=True)
    return time.monotonic() - start


def timed_out(results: Path) -> bool:
    data = json.loads(results.read_text())
    return any("time limit" in t["output"] for t in data["tests"])


def run_otter(hw: str, paths: list[Path], bundle: Path, scratch: Path) -> list[float]:
    """Wall seconds of each `otter run`; stops the benchmark if otter did not grade."""
    walls = []
    for p in paths:
        out = scratch / "otter-out" / hw / p.stem
        out.mkdir(parents=True)  # otter refuses an output folder that does not exist
        start = time.monotonic()
        run = subprocess.run([sys.executable, "-m", "otter", "run", "-a", str(bundle), "-o",
                              str(out), "--no-logo", str(p)], cwd=scratch, capture_output=True,
                             text=True, timeout=600)
        walls.append(time.monotonic() - start)
        if not (out / "results.json").is_file():
            raise SystemExit(f"otter run did not grade {p.name}: {run.stderr.strip()[-300:]}")
    return walls


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homeworks", nargs="+", default=["hw1"])
    parser.add_argument("--count", type=int, default=200, help="submissions per homework")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--otter-sample", type=int, default=20,
                        help="submissions otter grades (spread over the batch)")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="deepgrade-bench-"))
    batches: dict[str, list[Path]] = {}
    for hw in args.homeworks:
        variants = scratch / "variants" / hw
        variants.mkdir(parents=True)
        paths = make_variants(hw, variants)
        # A first deepgrade pass finds the variants that hit a time limit: both sides skip them.
        probe = scratch / "probe" / hw
        run_deepgrade(hw, variants, probe, args.jobs)
        for p in list(paths):
            if timed_out(probe / p.stem / "results.json"):
                print(f"left out (hits a time limit): {hw}/{p.stem}")
                paths.remove(p)
        folder = scratch / "batch" / hw
        folder.mkdir(parents=True)
        batches[hw] = make_batch(paths, folder, args.count)
    n = sum(len(p) for p in batches.values())
    print(f"batch: {n} submissions ({', '.join(f'{hw}: {len(p)}' for hw, p in batches.items())})")
    print(f"load average at start: {load()} ({os.cpu_count()} cores)")

    # otter starts a fresh process per submission, so its cost per submission does not depend
    # on the batch: a sample spread over the batch, half before and half after deepgrade's run.
    bundles = {hw: otter_bundle(hw, scratch) for hw in batches}
    sample = {hw: paths[::max(1, len(paths) // args.otter_sample)][:args.otter_sample]
              for hw, paths in batches.items()}
    otter_walls = [w for hw, paths in sample.items()
                   for w in run_otter(hw, paths[::2], bundles[hw], scratch)]
    deep_wall, cells, tests, fixed, per_total = 0.0, [], [], [], []
    for hw, paths in batches.items():
        out = scratch / "deepgrade-out" / hw
        deep_wall += run_deepgrade(hw, paths[0].parent, out, args.jobs)
        for p in paths:
            data = json.loads((out / p.stem / "results.json").read_text())
            t = data["extra_data"]["timings"]
            cells.append(t["cells"])
            tests.append(t["tests"])
            fixed.append(t["start"] + t["stop"])
            per_total.append(data["execution_time"])
    otter_walls += [w for hw, paths in sample.items()
                    for w in run_otter(hw, paths[1::2], bundles[hw], scratch)]
    print(f"load average at end: {load()}")
    otter_wall = statistics.mean(otter_walls) * n  # the whole batch, one after another
    a, b = n / otter_wall * 60, n / deep_wall * 60
    share = deep_wall * args.jobs / n  # wall seconds one job spends per submission
    busy = deep_wall - sum(per_total) / args.jobs
    print(f"(a) otter run, one after another: {statistics.mean(otter_walls):.2f} s each "
          f"(mean of {len(otter_walls)}, median {statistics.median(otter_walls):.2f} s), "
          f"{a:.1f} submissions/min; {otter_wall:.0f} s for the batch")
    print(f"(b) deepgrade grade --jobs {args.jobs}: {deep_wall:.1f} s, {b:.1f} submissions/min")
    print(f"throughput ratio (b)/(a): {b / a:.1f}x")
    print(f"deepgrade per submission (medians): cells {statistics.median(cells):.3f} s, "
          f"tests {statistics.median(tests):.3f} s, kernel start+stop "
          f"{statistics.median(fixed):.3f} s, whole grading {statistics.median(per_total):.3f} s")
    print(f"deepgrade start-up and wind-down (wall time not spent grading a submission): "
          f"{busy:.1f} s")
    overhead = share - statistics.mean(cells) - statistics.mean(tests)
    print(f"overhead per submission and job beyond the student's cells and the tests: "
          f"{overhead:.3f} s (beyond the cells only: {share - statistics.mean(cells):.3f} s)")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
