"""How long `deepgrade similar` takes for a class, and whether its planted copies come first.

The class is hw1's student notebook filled in as students would: each answer cell takes the
reference's code or one of the homework's alternates and mutants (spread evenly, so each version
is shared by more than a tenth of the class, as the usual ways of writing an answer are), plus a
few lines of each student's own (a helper with that student's numbers) so that no two notebooks
are the same. Then ``--copies`` students are copied, disguised: names renamed, comments and a
docstring added, the helpers moved into a cell of their own. Everything goes through a grade
store as `deepgrade grade` leaves it; the timing is `deepgrade similar`'s work (reading the
store, comparing, writing the CSV and pages), for several class sizes to show how it grows.

    .venv/bin/python benchmarks/similar_batch.py [--submissions 500] [--copies 10]

Prints, per class size: wall and CPU seconds, the pairs that share anything (the work)
against all pairs, the flagged rows; then the rank of each planted copy in its questions and
the highest score of an independent pair.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from similar_corpus import Builder, definitions  # noqa: E402

from deepgrade.project import Homework  # noqa: E402
from deepgrade.similar import from_store, write_outputs  # noqa: E402
from deepgrade.similar.compare import MIN_ABOVE, MIN_SCORE  # noqa: E402
from deepgrade.store import GRADED, Cell, GradeStore, Person  # noqa: E402
from deepgrade.validate.variants import read_variants  # noqa: E402


def pools(hw: Homework, build: Builder) -> dict[str, list[str]]:
    """Per answered name: the reference's definition, then every variant's."""
    out: dict[str, list[str]] = {}
    for source in build.reference.values():
        for name, code in definitions(source).items():
            out.setdefault(name, []).append(code)
    for variant in read_variants(hw.alternates, "alternate") + read_variants(hw.mutants,
                                                                           "mutant"):
        for name, code in definitions(variant.source).items():
            if name in out and len(out[name]) < 8:  # 500 / 8 > a tenth of the class each
                out[name].append(code)
    return out


def own_lines(rng: np.random.Generator, name: str) -> str:
    """A helper of the student's own: their numbers, so it is theirs alone."""
    body = "".join(f"    v = np.{rng.choice(['abs', 'sqrt', 'tanh', 'log1p', 'cbrt'])}(v) * "
                   f"{rng.uniform(0.5, 2):.4f} + {rng.integers(1, 10**6)}\n" for _ in range(3))
    return f"def _check_{name}(v):\n{body}    return v\n"


def disguise(cells: list[Cell], names: set[str]) -> list[Cell]:
    """A copy as students disguise one: helpers renamed and moved into a cell of their own,
    a comment and a docstring in each copied function, variables renamed."""
    out = []
    for cell in cells:
        if cell.cell_type != "code" or "_check_" not in cell.source:
            out.append(cell)
            continue
        main, _, helper = cell.source.partition("\n\ndef _check_")
        main = re.sub(r"^(def \w+\(.*\):\n)", r'\1    """My own work."""  # really\n', main,
                      flags=re.M)
        helper = re.sub(r"\bv\b", "value", "def _verify_" + helper)
        out += [Cell("code", main, False), Cell("code", "# checks\n" + helper, False)]
    return out


def make_class(hw: Homework, submissions: int, copies: int, seed: int = 0):
    build = Builder(hw)
    pool = pools(hw, build)
    rng = np.random.default_rng(seed)
    offsets = {name: int(rng.integers(0, 1000)) for name in pool}
    notebooks: dict[str, list[Cell]] = {}
    for i in range(submissions - copies):
        code = {n: f"{versions[(i + offsets[n]) % len(versions)]}\n\n{own_lines(rng, n)}"
                for n, versions in pool.items()}
        notebooks[f"s{i:04d}"] = build.cells(code)
    planted = {}
    originals = rng.choice(submissions - copies, size=copies, replace=False)
    for j, original in enumerate(sorted(originals)):
        key = f"s{original:04d}"
        notebooks[f"copy{j:02d}"] = disguise(notebooks[key], set(pool))
        planted[f"copy{j:02d}"] = key
    return notebooks, planted


def store_class(folder: Path, notebooks: dict[str, list[Cell]]) -> None:
    with GradeStore.open(folder, "hw1", create=True) as store:
        store.add_submissions([(k, k, [Person(k)], None) for k in notebooks])
        for key in notebooks:
            store.record(key, status=GRADED, bundle_hash="b", version="0", notebook="hw1.ipynb",
                         scores=[], seconds=1, work_seconds=1, messages=[], results={})
        store.record_cells(list(notebooks.items()))


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the fingerprinting pool)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(hw: Homework, notebooks: dict[str, list[Cell]], folder: Path):
    """`deepgrade similar`'s work on ``notebooks``: (wall seconds, CPU seconds, the result)."""
    store_class(folder, notebooks)
    start, cpu = time.perf_counter(), _cpu()
    with GradeStore.open(folder, "hw1") as store:
        similarity = from_store(hw, store)
    write_outputs(similarity, folder)
    return time.perf_counter() - start, _cpu() - cpu, similarity


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    hw = Homework("hw1", ROOT)
    notebooks, planted = make_class(hw, args.submissions, args.copies)
    sizes = sorted({args.submissions // 4, args.submissions // 2, args.submissions})
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            keep = dict(list(notebooks.items())[-size:]) if size < args.submissions \
                else notebooks
            seconds, cpu, similarity = measure(hw, keep, Path(tmp) / str(size))
            shared = sum(len(c.ranked) for c in similarity.cohorts)
            every = sum(c.pairs for c in similarity.cohorts)
            print(f"{size:4d} submissions: {seconds:5.1f} s wall, {cpu:5.1f} s CPU (load "
                  f"average {os.getloadavg()[0]:.1f}); pairs sharing anything "
                  f"{shared} of {every} (all pairs of all {len(similarity.cohorts)} "
                  f"questions); {len(similarity.flagged)} flagged rows")
    copies = {frozenset((c, o)) for c, o in planted.items()}
    print("planted copies: rank in each question where they share code of their own, counting "
          "the independent pairs above it (1: above every independent pair):")
    for copy, original in planted.items():
        ranks = []
        for cohort in similarity.cohorts:
            independent_above = 0
            for pair in cohort.ranked:
                if {pair.a, pair.b} == {copy, original}:
                    ranks.append((independent_above + 1, cohort.question, pair))
                    break
                independent_above += frozenset((pair.a, pair.b)) not in copies
        flagged_in = sum(p.score >= MIN_SCORE and p.above >= MIN_ABOVE for _, _, p in ranks)
        print(f"  {copy} ~ {original}: rank {max(r for r, _, _ in ranks)} at worst in "
              f"{len(ranks)} questions, flagged in {flagged_in}; lowest "
              f"{min(p.score for _, _, p in ranks):.2f} score, "
              f"{min(p.above for _, _, p in ranks):.1f} sd above")
    flagged = {frozenset((p.a, p.b)) for p in similarity.flagged}
    independent = [p for c in similarity.cohorts for p in c.ranked
                   if frozenset((p.a, p.b)) not in copies]
    best = max(independent, key=lambda p: p.score, default=None)
    print(f"flagged pairs of submissions: {len(flagged)}, of which planted: "
          f"{len(flagged & copies)} of {len(copies)}")
    if best:
        print(f"highest independent pair: {best.question} {best.a} ~ {best.b} score "
              f"{best.score:.2f}, {best.above:.1f} sd above")


if __name__ == "__main__":
    main()
