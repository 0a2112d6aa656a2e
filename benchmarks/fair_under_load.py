"""Load never changes a score: each reference graded in Gradescope's container while the host is
busy, and a time limit that gives the same verdict idle and under half a CPU on a busy machine.

    .venv/bin/python benchmarks/fair_under_load.py [HW ...] [--repeat N]

Needs root (cgroup v1). Two parts, printed as tables:

1. Each homework's reference, graded ``--repeat`` times in a cgroup of 0.5 CPU and 768 MB (as
   Gradescope's container) while both cores run CPU burners and another ``deepgrade grade`` of
   hw1 loops on the host: every run must get full marks.
2. hw3's ``conv_layer`` large case for two implementations, idle (no cgroup, no load) and under
   0.5 CPU with the host busy: the vectorised reference, the loop over output positions (an
   alternate: must pass) and six nested loops (a mutant: must fail as too slow). The limit is
   relative (checks.timing), so each verdict must be the same both ways; the CPU seconds the
   case's messages report are printed beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))

from grading_cost import measure  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _burn(stop: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    while not stop.is_set():
        sum(i * i for i in range(10_000))


@contextlib.contextmanager
def busy_host() -> Iterator[None]:
    """Both cores burning, and a host grader grading hw1's reference over and over."""
    stop = multiprocessing.Event()
    burners = [multiprocessing.Process(target=_burn, args=(stop,)) for _ in range(2)]
    for p in burners:
        p.start()
    out = tempfile.mkdtemp(prefix="deepgrade-load-host-")
    loop = subprocess.Popen(["bash", "-c", f"while true; do {sys.executable} -m deepgrade grade "
                             f"hw1 {ROOT}/solutions/hw1/hw1-solutions.ipynb --out {out} "
                             ">/dev/null 2>&1; done"], start_new_session=True)
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(loop.pid, signal.SIGKILL)  # the loop and the grader it runs
        for p in burners:
            p.join()


def grade(hw: str, notebook: Path, cpus: float | None) -> dict:
    out = Path(tempfile.mkdtemp(prefix=f"deepgrade-load-{hw}-"))
    run = measure(hw, notebook, cpus=cpus, memory_mb=768 if cpus else None, out=str(out))
    [results] = out.glob("*/results.json")
    data = json.loads(results.read_text())
    run["results"] = data
    return run


def conv_variant(name: str | None) -> Path:
    """hw3's reference with a mutant or alternate spliced in (None: the reference itself)."""
    from deepgrade.validate.variants import read_variants, splice

    reference = ROOT / "solutions" / "hw3" / "hw3-solutions.ipynb"
    if name is None:
        return reference
    variants = read_variants(ROOT / "assignments" / "hw3" / "mutants", "mutant") + \
        read_variants(ROOT / "assignments" / "hw3" / "alternates", "alternate")
    [variant] = [v for v in variants if v.name == name]
    path = Path(tempfile.mkdtemp(prefix="deepgrade-load-variant-")) / "hw3.ipynb"
    nbformat.write(splice(nbformat.read(reference, as_version=4), variant), path)
    return path


def large_case(results: dict) -> str:
    """The verdict of conv_layer's large case (the one with the time limit)."""
    [test] = [t for t in results["tests"] if t["name"] == "conv_layer"]
    lines = [line for line in test["output"].splitlines() if "(8, 3, 32, 32)" in line
             or "too slow" in line or "time limit" in line]
    if not lines:
        return "passed"
    slow = re.search(r"used ([\d.]+ s) of CPU time, over its limit of ([\d.]+ s) \((\d+) times the "
                     r"reference solution's ([\d.]+ s)", lines[0])
    if slow:  # the figures, not the advice
        return "FAILED: too slow, {} of CPU over {} ({}x the reference's {})".format(*slow.groups())
    return "FAILED: " + lines[0].strip()[:150]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("homeworks", nargs="*", default=["hw1", "hw2", "hw3", "hw4"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=["references", "limits"], help="run one part only")
    args = parser.parse_args()
    ok = True
    if args.only != "limits":
        ok &= references_under_load(args.homeworks, args.repeat)
    if args.only != "references":
        ok &= limits_idle_and_loaded()
    print("OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


def references_under_load(homeworks: list[str], repeat: int) -> bool:
    ok = True
    print("1. references at 0.5 CPU and 768 MB, host busy (2 burners + a hw1 grader loop)")
    with busy_host():
        time.sleep(3)
        for hw in homeworks:
            scores = []
            for _ in range(repeat):
                run = grade(hw, ROOT / "solutions" / hw / f"{hw}-solutions.ipynb", 0.5)
                res = run["results"]
                scores.append(f"{res['score']:g}/{sum(t['max_score'] for t in res['tests']):g}")
                ok &= res["score"] == sum(t["max_score"] for t in res["tests"])
            print(f"  {hw}: {', '.join(scores)}", flush=True)
    return ok


def limits_idle_and_loaded() -> bool:
    ok = True
    print("2. hw3 conv_layer's large case: idle vs 0.5 CPU with the host busy")
    for name, expect in ((None, "passed"), ("conv_output_positions", "passed"),
                         ("conv_loop_per_output", "passed"),
                         ("conv_six_loops", "FAILED")):
        notebook = conv_variant(name)
        idle = grade("hw3", notebook, None)
        with busy_host():
            loaded = grade("hw3", notebook, 0.5)
        verdicts = [large_case(idle["results"]), large_case(loaded["results"])]
        same = all(v.startswith(expect) for v in verdicts)
        ok &= same
        print(f"  {name or 'reference'}: idle {verdicts[0]} (wall {idle['wall_seconds']:.1f} s)"
              f" | loaded {verdicts[1]} (wall {loaded['wall_seconds']:.1f} s)"
              f" -> {'same verdict' if same else 'DIFFERENT'}", flush=True)
    return ok


if __name__ == "__main__":
    main()
