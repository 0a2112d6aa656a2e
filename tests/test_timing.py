"""checks.timing: a relative time limit measures the grader's reference as a kernel runs.

A kernel computes on one thread (the sandbox and run_autograder set every pool to one). A grader
started as `deepgrade grade` or `validate` has NumPy's OpenBLAS with a thread per core, and CPU
time counts every thread, spinning helpers included: measured that way, hw3's reference varied
threefold with the host's load and let six nested loops pass its limit. So the reference is
measured with one thread in every BLAS/OpenMP pool and in torch, and the grader's own settings
come back afterwards.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_info, threadpool_limits

from deepgrade.checks import timing


def pools() -> dict[str, int]:
    """Threads of each loaded BLAS/OpenMP library, and torch's."""
    found = {f"{p['internal_api']}:{p['filepath']}": p["num_threads"] for p in threadpool_info()}
    return {**found, "torch": torch.get_num_threads()}


@pytest.fixture()
def two_threads():
    """The grader's settings before the measurement: two threads everywhere (as on 2 cores)."""
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    with threadpool_limits(limits=2):
        yield pools()
    torch.set_num_threads(before)


def test_the_reference_runs_on_one_thread_and_the_graders_threads_come_back(two_threads):
    assert any("openblas" in k or "mkl" in k for k in two_threads), two_threads  # numpy's BLAS
    seen: list[dict[str, int]] = []
    a = np.random.default_rng(0).normal(size=(64, 64))

    def reference() -> np.ndarray:
        seen.append(pools())
        return a @ a

    seconds = timing.reference_seconds(reference, repeat=5, budget=0.0)
    assert len(seen) == 5 and seconds >= 0
    assert all(set(s.values()) == {1} for s in seen), seen[0]
    assert pools() == two_threads


def test_the_graders_threads_come_back_when_the_reference_raises(two_threads):
    def broken() -> None:
        raise ValueError("the reference itself is wrong")

    with pytest.raises(ValueError):
        timing.reference_seconds(broken)
    assert pools() == two_threads


def test_the_limit_is_the_factor_times_the_reference_at_least_the_floor():
    assert timing.time_limit(0.008, factor=500, floor=0.5) == pytest.approx(4.0)
    assert timing.time_limit(0.0001, factor=500, floor=0.5) == 0.5
    timing.assert_fast_enough(3.9, 0.008, "conv", factor=500)
    with pytest.raises(AssertionError, match=r"used 4\.10 s of CPU time, over its limit of 4\.00 s "
                                             r"\(500 times the reference solution's 0\.008 s"):
        timing.assert_fast_enough(4.1, 0.008, "conv", factor=500)
