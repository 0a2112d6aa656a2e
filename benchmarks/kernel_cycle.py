"""A kernel's start and stop, with every layer this machine allows, one kernel at a time.

    .venv/bin/python benchmarks/kernel_cycle.py [--repeat 30] [--container]

Prints the median wall time of ``Kernel.start()`` and of ``Kernel.stop()`` (the teardown: the
kernel's process tree, then its uid) over ``--repeat`` kernels, after the zygote is ready.
``--container`` runs the same loop inside the simulated Gradescope container of the tests
(Docker's default capabilities and seccomp refusals: no namespaces), which needs root.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def cycle(repeat: int) -> None:
    from deepgrade.grade.kernel import client

    client.zygote().probed()
    starts, stops = [], []
    for _ in range(repeat):
        workdir = Path(tempfile.mkdtemp(prefix="deepgrade-cycle-"))
        kernel = client.Kernel(workdir, memory_mb=1024)
        t0 = time.perf_counter()
        kernel.start()
        t1 = time.perf_counter()
        kernel.stop()
        starts.append(t1 - t0)
        stops.append(time.perf_counter() - t1)
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{client.zygote().probed().describe()}")
    print(f"kernel start: median {statistics.median(starts) * 1000:.0f} ms; "
          f"stop: median {statistics.median(stops) * 1000:.0f} ms (over {repeat} kernels)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--container", action="store_true")
    args = parser.parse_args()
    if not args.container:
        cycle(args.repeat)
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from container import run_in_container

    with tempfile.TemporaryDirectory() as out:
        r = run_in_container(ROOT / "autograder" / "hw1" / "hw1-autograder.zip",
                             ROOT / "student" / "hw1" / "hw1.ipynb", Path(out),
                             command=[sys.executable, str(Path(__file__).resolve()),
                                      "--repeat", str(args.repeat)])
    print("in the simulated Gradescope container:")
    print(r.get("stdout", "").strip() or r["stderr"][-2000:])
    if r["returncode"]:
        sys.exit(r["returncode"])


if __name__ == "__main__":
    main()
