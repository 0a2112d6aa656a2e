"""What a hostile submission costs the grader: wall time, the grader's own CPU and peak memory,
and the score, for each attack in the cheating corpus (or the cells given).

    .venv/bin/python benchmarks/hostile_cost.py [CHEAT ...] [--timeout S] [--hw HW --base NB]
                                                [--real-budgets]

Each cheat is appended as a last cell to the base notebook (hw1's student template by default)
and graded in a fresh process with the corpus's short budgets (or the homework's own), so one attack cannot disturb the
next measurement. A run still going at the timeout is killed and reported as "hung".
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r"""
import dataclasses, json, resource, sys, time
from pathlib import Path
import nbformat
from deepgrade.grade.bundle import Bundle
from deepgrade.grade.results import to_gradescope
from deepgrade.grade.runner import grade_submission
from deepgrade.project import Budgets
hw, base, cheat, out, real = sys.argv[1:6]
bundle = Bundle.load(Path(f"autograder/{hw}/{hw}-autograder.zip"))
if real != "real":
    budgets = Budgets(notebook_seconds=30, cell_seconds=2, test_seconds=1.5, memory_mb=1024)
    bundle = dataclasses.replace(bundle, budgets=budgets)
nb = nbformat.read(base, as_version=4)
if cheat != "-":
    nb.cells.append(nbformat.v4.new_code_cell(Path(cheat).read_text()))
for i, c in enumerate(nb.cells):
    c["id"] = f"c{i}"
path = Path(out) / "submission.ipynb"
nbformat.write(nb, path)
before = resource.getrusage(resource.RUSAGE_SELF)
start = time.monotonic()
report = grade_submission(bundle, path)
wall = time.monotonic() - start
after = resource.getrusage(resource.RUSAGE_SELF)
data = to_gradescope(report)
text = "".join(t["output"] for t in data["tests"]) + data["output"]
print(json.dumps({"lost": {q.name: q.max_score - q.score for q in report.questions if q.score < q.max_score},
                  "wall": wall, "cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
                  "maxrss_mb": after.ru_maxrss / 1024, "score": data["score"],
                  "max_score": report.max_score, "results_bytes": len(json.dumps(data)),
                  "longest_line": max(len(l) for t in data["tests"] for l in t["output"].split("\n")),
                  # lines beyond one per test case, and control characters (ANSI codes...)
                  "extra_lines": sum(t["output"].count("\n") + 1 for t in data["tests"])
                  - sum(len(q.cases) for q in report.questions),
                  "control_chars": sum(not c.isprintable() and c != "\n" for c in text)}))
"""


def measure(hw: str, base: Path, cheat: str, timeout: float, real: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix="deepgrade-hostile-") as out:
        start = time.monotonic()
        try:
            run = subprocess.run([sys.executable, "-c", CHILD, hw, str(base), cheat, out,
                                  "real" if real else "short"],
                                 cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"hung": round(time.monotonic() - start, 1)}
        if run.returncode != 0:
            return {"crashed": run.returncode, "stderr": run.stderr.strip().splitlines()[-1:]}
        return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cheats", nargs="*", help="cheat files (default: the whole corpus); - for none")
    parser.add_argument("--hw", default="hw1")
    parser.add_argument("--base", type=Path, default=None)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--real-budgets", action="store_true",
                        help="the homework's own budgets instead of the corpus's short ones")
    args = parser.parse_args()
    base = args.base or ROOT / "student" / args.hw / f"{args.hw}.ipynb"
    cheats = args.cheats or sorted(str(p) for p in (ROOT / "tests/corpus/cheats").glob("*.py"))
    for cheat in cheats:
        figures = measure(args.hw, base, cheat, args.timeout, args.real_budgets)
        shown = ", ".join(f"{k} {round(v, 2) if isinstance(v, float) else v}" for k, v in figures.items())
        print(f"{Path(cheat).stem}: {shown}", flush=True)


if __name__ == "__main__":
    main()
