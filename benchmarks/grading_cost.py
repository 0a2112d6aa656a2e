"""What grading one submission costs: peak memory and CPU time of the whole run, and wall time.

    .venv/bin/python benchmarks/grading_cost.py HW NOTEBOOK [--repeat N]

The run is `deepgrade grade HW NOTEBOOK` in a fresh process, so the figures include everything
a Gradescope run includes: starting Python, the grader, the kernel launcher, the kernel and the
tests. As root, the process tree is put in its own cgroup (v1 memory + cpuacct, or v2), whose
peak usage counts shared pages once, as Gradescope's container limit does; elsewhere the script
samples the summed RSS of the tree (an overestimate: shared pages are counted in every process). In a cgroup three peaks
are reported: with page cache (what `memory.max_usage_in_bytes` says), resident (anonymous plus
mapped library files: what must stay in memory) and anonymous only.
Gradescope's default container has 768 MB and half a CPU: the CPU seconds here are about the
wall seconds there.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

V1_MEMORY, V1_CPU = Path("/sys/fs/cgroup/memory"), Path("/sys/fs/cgroup/cpuacct")
V1_QUOTA = Path("/sys/fs/cgroup/cpu")  # cpu.cfs_quota_us (may be the same hierarchy as cpuacct)
PERIOD_US = 100_000


def _v1_available() -> bool:
    return os.geteuid() == 0 and V1_MEMORY.is_dir() and V1_CPU.is_dir()


def measure(hw: str, notebook: Path, cpus: float | None = None,
            memory_mb: int | None = None, out: str | None = None) -> dict[str, float]:
    """Grade ``notebook`` in a fresh ``deepgrade grade``; with ``cpus``/``memory_mb`` (cgroup v1,
    as root) the whole process tree is held to that CPU quota and memory limit (no swap)."""
    out = out or tempfile.mkdtemp(prefix="deepgrade-cost-")
    cmd = [sys.executable, "-m", "deepgrade", "grade", hw, str(notebook), "--out", out]
    groups: list[Path] = []
    if (cpus or memory_mb) and not (_v1_available() and V1_QUOTA.is_dir()):
        raise SystemExit("CPU and memory limits need root and cgroup v1 (/sys/fs/cgroup/cpu, "
                         "/sys/fs/cgroup/memory)")
    if _v1_available():
        name = f"deepgrade-cost-{os.getpid()}-{time.monotonic_ns()}"
        groups = [V1_MEMORY / name, V1_CPU / name]
        if cpus and V1_QUOTA.resolve() != V1_CPU.resolve():
            groups.append(V1_QUOTA / name)
        for g in groups:
            g.mkdir()
        if memory_mb:
            (groups[0] / "memory.limit_in_bytes").write_text(str(memory_mb << 20))
            swap = groups[0] / "memory.memsw.limit_in_bytes"  # memory + swap: no swapping out
            if swap.exists():
                swap.write_text(str(memory_mb << 20))
        if cpus:
            quota = V1_QUOTA / name
            (quota / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (quota / "cpu.cfs_quota_us").write_text(str(int(cpus * PERIOD_US)))

    def enter() -> None:
        for g in groups:
            (g / "cgroup.procs").write_text(str(os.getpid()))

    start = time.monotonic()
    proc = subprocess.Popen(cmd, preexec_fn=enter, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    peak_rss = peak_anon = peak_mapped = 0
    while proc.poll() is None:  # sampled every 50 ms
        try:
            tree = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
            peak_rss = max(peak_rss, sum(p.memory_info().rss for p in tree))
        except psutil.Error:
            pass
        if groups:
            stat = dict(line.split() for line in (groups[0] / "memory.stat").read_text().splitlines())
            anon, mapped = int(stat["total_rss"]), int(stat["total_mapped_file"])
            peak_anon, peak_mapped = max(peak_anon, anon), max(peak_mapped, anon + mapped)
        time.sleep(0.05)
    wall = time.monotonic() - start
    usage = psutil.Process().cpu_times()  # children_user/system: the finished grading tree
    result = {"wall_seconds": wall, "status": proc.returncode,
              "summed_rss_mb": peak_rss / 2**20}
    if groups:
        # max_usage counts page cache (library files read); anonymous memory plus mapped
        # files is what must stay resident, and anonymous memory alone is what cannot be
        # reclaimed at all.
        result["peak_with_cache_mb"] = int((groups[0] / "memory.max_usage_in_bytes").read_text()) / 2**20
        result["peak_resident_mb"] = peak_mapped / 2**20
        result["peak_anonymous_mb"] = peak_anon / 2**20
        result["cpu_seconds"] = int((groups[1] / "cpuacct.usage").read_text()) / 1e9
        result["memory_limit_hits"] = int((groups[0] / "memory.failcnt").read_text())
        oom = dict(line.split() for line in (groups[0] / "memory.oom_control").read_text()
                   .splitlines())
        result["oom_kills"] = int(oom.get("oom_kill", 0))
        if cpus:
            stat = dict(line.split() for line in (V1_QUOTA / name / "cpu.stat").read_text()
                        .splitlines())
            result["throttled_seconds"] = int(stat["throttled_time"]) / 1e9
        for g in groups:
            for _ in range(50):
                try:
                    g.rmdir()
                    break
                except OSError:
                    time.sleep(0.1)
    else:
        result["cpu_seconds"] = usage.children_user + usage.children_system
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("homework")
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [measure(args.homework, args.notebook) for _ in range(args.repeat)]
    for i, r in enumerate(runs, 1):
        print(f"run {i}: " + ", ".join(f"{k} {v:.1f}" for k, v in r.items()))
    print(f"median over {len(runs)} runs:")
    for key in runs[0]:
        if key != "status":
            print(f"  {key}: {statistics.median(r[key] for r in runs):.1f}")
    if not _v1_available():
        print("  (no cgroup: summed_rss_mb counts shared pages once per process)")


if __name__ == "__main__":
    main()
