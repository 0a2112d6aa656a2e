"""``deepgrade calibrate``: train the reference across seeds and derive a fair threshold.

``assignments/<hw>/calibration.py`` (instructor code, trusted) defines:

- ``QUESTION``: the question whose hidden threshold is calibrated;
- ``SEEDS``: the seeds (at least 20);
- ``METRIC``: the key of ``trial``'s result the threshold applies to (higher is better);
- ``MARGIN``: threshold = (minimum over seeds) - MARGIN, rounded down to 3 decimals;
- ``THRESHOLD`` (optional): a threshold fixed elsewhere (by the course contract); the report
  then shows it beside the derived one, and calibration fails if the reference misses it;
- ``trial(student, seed) -> dict[str, float]``: runs in the grader after the reference notebook
  ran in a kernel; ``student[name]`` reaches the reference's names (proxies or data) and
  ``student.run_cell(source)`` runs code in that kernel.

The report (``calibration.json`` and ``calibration.md`` beside the master) gives, per seed and in
summary, the metrics, wall and CPU time, and the kernel's peak memory.
"""

from __future__ import annotations

import importlib.util
import json
import math
import statistics
import sys
import time
from types import ModuleType
from typing import Any

from deepgrade.errors import UserError
from deepgrade.grade.bundle import Bundle
from deepgrade.grade.notebook import read_submission
from deepgrade.grade.proxy import StudentNamespace
from deepgrade.grade.runner import trusted_globals
from deepgrade.grade.session import Session
from deepgrade.project import Homework

REQUIRED = ("QUESTION", "SEEDS", "METRIC", "MARGIN", "trial")


def load_spec(hw: Homework) -> ModuleType:
    path = hw.calibration
    if not path.is_file():
        raise UserError(f"{hw.name} has nothing to calibrate: no {path}")
    # calibration.py imports the homework's graderlib, as the hidden tests do
    sys.modules.update(Bundle.for_homework(hw).helper_modules())
    spec = importlib.util.spec_from_file_location(f"deepgrade_calibration_{hw.name}", path)
    assert spec is not None and spec.loader is not None  # a .py file always has a loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    missing = [name for name in REQUIRED if not hasattr(module, name)]
    if missing:
        raise UserError(f"{path} must define {', '.join(missing)}")
    return module


def threshold(values: list[float], margin: float) -> float:
    """Minimum minus margin, rounded down to 3 decimals (never above any observed value)."""
    return math.floor((min(values) - margin) * 1000) / 1000


def summarize(trials: list[dict[str, Any]], metric: str, margin: float,
              fixed: float | None = None) -> dict[str, Any]:
    values = [t["metrics"][metric] for t in trials]
    keys = ("wall_seconds", "cpu_seconds")
    derived = threshold(values, margin)
    return {
        "metric": metric,
        "min": min(values), "median": statistics.median(values), "max": max(values),
        "margin": margin, "derived_threshold": derived,
        "threshold": derived if fixed is None else fixed, "fixed": fixed is not None,
        **{f"{k}_median": statistics.median(t[k] for t in trials) for k in keys},
        **{f"{k}_max": max(t[k] for t in trials) for k in keys},
        "peak_memory_mb": max(t["kernel_maxrss_mb"] for t in trials),
    }


def run(hw: Homework, seeds: list[int] | None = None) -> dict[str, Any]:
    spec = load_spec(hw)
    seeds = list(spec.SEEDS if seeds is None else seeds)
    bundle = Bundle.for_homework(hw)
    submission = read_submission(hw.reference)
    trials: list[dict[str, Any]] = []
    budget = bundle.budgets.cell_seconds
    with Session(bundle.budgets, support_files=bundle.support_files) as session:
        print(f"{hw.name}: running the reference notebook", file=sys.stderr, flush=True)
        session.run_cells(submission.cells)
        failed = [c for c in session.outcomes if not c.ok]
        if failed:
            raise UserError(f"{hw.name}: the reference notebook fails in cell {failed[0].index} "
                            f"({failed[0].message}); fix the master and rebuild")
        student = StudentNamespace(session, trusted_globals(bundle))
        for i, seed in enumerate(seeds, start=1):
            session.begin_test(budget)
            before = session.usage()
            start = time.monotonic()
            metrics = {k: float(v) for k, v in spec.trial(student, seed).items()}
            wall = time.monotonic() - start
            session.begin_test(budget)
            after = session.usage()
            trials.append({"seed": seed, "metrics": metrics, "wall_seconds": round(wall, 3),
                           "cpu_seconds": round(after["cpu_seconds"] - before["cpu_seconds"], 3),
                           "kernel_maxrss_mb": round(after["maxrss_mb"], 1)})
            shown = ", ".join(f"{k} {v:.4f}" for k, v in metrics.items())
            print(f"[{i:>2}/{len(seeds)}] seed {seed}: {shown} ({wall:.1f} s)", file=sys.stderr,
                  flush=True)
    fixed = getattr(spec, "THRESHOLD", None)
    summary = summarize(trials, spec.METRIC, float(spec.MARGIN),
                        None if fixed is None else float(fixed))
    if summary["threshold"] > summary["min"]:
        raise UserError(f"{hw.name}: the reference's {spec.METRIC} falls to {summary['min']:.4f} "
                        f"on some seed, below the threshold {summary['threshold']:.3f}; fix the "
                        "recipe or the threshold")
    report = {"homework": hw.name, "question": spec.QUESTION, "seeds": seeds,
              "threads": 1, "summary": summary, "trials": trials}
    (hw.folder / "calibration.json").write_text(json.dumps(report, indent=2) + "\n")
    (hw.folder / "calibration.md").write_text(markdown(report))
    return report


def markdown(report: dict[str, Any]) -> str:
    s = report["summary"]
    lines = [
        f"# Calibration of `{report['question']}` ({report['homework']})", "",
        f"Written by `deepgrade calibrate {report['homework']}`: the reference solution trained "
        f"on {len(report['seeds'])} seeds in the grading kernel (1 thread).", "",
        f"- {s['metric']}: min {s['min']:.4f}, median {s['median']:.4f}, max {s['max']:.4f}",
        (f"- hidden threshold: **{s['threshold']:.3f}**, fixed by the course; the reference's "
         f"worst seed clears it by {s['min'] - s['threshold']:.4f} (minimum minus margin "
         f"{s['margin']:g} would give {s['derived_threshold']:.3f})" if s["fixed"] else
         f"- hidden threshold: **{s['threshold']:.3f}** (minimum {s['min']:.4f} minus margin "
         f"{s['margin']:g}, rounded down)"),
        f"- wall time per trial: median {s['wall_seconds_median']:.2f} s, max "
        f"{s['wall_seconds_max']:.2f} s; CPU: median {s['cpu_seconds_median']:.2f} s, max "
        f"{s['cpu_seconds_max']:.2f} s",
        f"- peak memory of the kernel: {s['peak_memory_mb']:.0f} MB", "",
        "| seed | " + " | ".join(report["trials"][0]["metrics"]) + " | wall s | CPU s |",
        "|---" * (len(report["trials"][0]["metrics"]) + 3) + "|",
    ]
    for t in report["trials"]:
        lines.append(f"| {t['seed']} | " + " | ".join(f"{v:.4f}" for v in t["metrics"].values())
                     + f" | {t['wall_seconds']:.2f} | {t['cpu_seconds']:.2f} |")
    return "\n".join(lines) + "\n"


def main(homeworks: list[Homework], seeds: list[int] | None = None) -> None:
    for hw in homeworks:
        s = run(hw, seeds)["summary"]
        print(f"{hw.name}: {s['metric']} min {s['min']:.4f} median {s['median']:.4f} max "
              f"{s['max']:.4f}; threshold {s['threshold']:.3f}; written "
              f"{hw.folder / 'calibration.md'}")
