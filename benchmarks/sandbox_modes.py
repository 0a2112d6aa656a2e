"""Figures for each sandbox mode: the layers active, the reference's score and grading time, and
what the probe notebook of tests/test_container.py found.

    python benchmarks/sandbox_modes.py [HW ...]      (as root; default hw1)

Modes: full root on this machine (in-process), Gradescope's Docker defaults simulated with and
without Landlock, and a non-root grader (uid 65534) simulated with and without Landlock.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from container import run_in_container  # noqa: E402
from test_container import CONTAINER_PATHS, NOBODY, findings, probe_notebook  # noqa: E402

MODES = {"container": {}, "container, no Landlock": {"landlock": False},
         "non-root": {"user": NOBODY}, "non-root, no Landlock": {"user": NOBODY, "landlock": False}}


def full_root(hw: str) -> tuple[float, float, float, list[str]]:
    from deepgrade.grade.bundle import Bundle
    from deepgrade.grade.runner import grade_submission

    start = time.monotonic()
    report = grade_submission(Bundle.load(ROOT / "autograder" / hw / f"{hw}-autograder.zip"),
                              ROOT / "solutions" / hw / f"{hw}-solutions.ipynb")
    return report.score, report.max_score, time.monotonic() - start, report.layers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("homeworks", nargs="*", default=["hw1"])
    args = parser.parse_args()
    for hw in args.homeworks:
        score, top, seconds, layers = full_root(hw)
        print(f"{hw} full root: {score:g}/{top:g} in {seconds:.1f} s; layers {', '.join(layers)}")
        bundle = ROOT / "autograder" / hw / f"{hw}-autograder.zip"
        for mode, options in MODES.items():
            with tempfile.TemporaryDirectory() as tmp:
                start = time.monotonic()
                r = run_in_container(bundle, ROOT / "solutions" / hw / f"{hw}-solutions.ipynb",
                                     Path(tmp), **options)
                wall = time.monotonic() - start
                res = r["results"] or {}
                print(f"{hw} {mode}: {res.get('score')}/"
                      f"{sum(t['max_score'] for t in res.get('tests', []))} in "
                      f"{res.get('execution_time')} s grading ({wall:.1f} s with the container's "
                      f"start); layers {', '.join(res.get('extra_data', {}).get('layers', []))}")
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    for mode, options in MODES.items():
        with tempfile.TemporaryDirectory() as tmp:
            nb = probe_notebook(Path(tmp), CONTAINER_PATHS, port)
            r = run_in_container(ROOT / "autograder" / "hw1" / "hw1-autograder.zip", nb,
                                 Path(tmp) / "out", **options)
            found = findings(r["results"]) if r["results"] else {}
            print(f"probe, {mode}: " + ", ".join(f"{k}={v}" for k, v in sorted(found.items())))
    server.close()


if __name__ == "__main__":
    main()
