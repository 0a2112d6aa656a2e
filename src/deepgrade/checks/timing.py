"""Time limits that mean the same on every machine: the student's code against the reference.

A limit in absolute seconds passes or fails the same code depending on the CPU, its load and the
container's CPU share. Here both sides are measured in CPU seconds, on the same machine, by the
same grader, one right after the other: the student's call by its kernel's own CPU clock (every
thread, and the children it waited for), the reference by the grader's. A CPU-time ratio does
not move with the load (a busy machine stretches wall time, not CPU time) or with Gradescope's
half CPU (a quota throttles both alike), and a faster or slower CPU scales both sides.

The limit is ``factor`` times the reference's time, never under ``floor`` seconds (so that a
reference that takes microseconds does not fail an equally good answer on its start-up costs).
An author who was given a limit in seconds (the course says "within 5 s") picks the factor as
that limit over the reference's time on the machine the limit was meant for, and says so beside
the test. The test's wall-clock budget stays, as the backstop of a call that never returns.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from threadpoolctl import threadpool_limits


def cpu_call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """Call ``fn(*args, **kwargs)``; return ``(its result, CPU seconds it used)``.

    For a student's function (a proxy of the grader) the seconds are the student's kernel's CPU
    time over the call; for the grader's own function, this process's (all its threads).
    """
    meter = getattr(type(fn), "__deepgrade_cpu__", None)
    clock: Callable[[], float] = (lambda: meter(fn)) if meter is not None else time.process_time
    start = clock()
    result = fn(*args, **kwargs)
    return result, max(0.0, clock() - start)


def reference_seconds(fn: Callable[..., Any], *args: Any, repeat: int = 5,
                      budget: float = 0.3, **kwargs: Any) -> float:
    """The smallest CPU time of the grader's reference ``fn`` over at least ``repeat`` calls,
    and more (up to 20) until they add up to ``budget`` seconds: the least disturbed call. On a
    busy machine one call of a few milliseconds may take twice its time (caches shared with
    other processes); a reference measured slow would loosen the limit, never tighten it."""
    times: list[float] = []
    with one_thread():
        while len(times) < max(1, repeat) or (sum(times) < budget and len(times) < 20):
            times.append(cpu_call(fn, *args, **kwargs)[1])
    return min(times)


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Run the block with one thread in every BLAS/OpenMP pool and in torch, as the kernels run
    (sandbox and run_autograder set the same), and restore the grader's settings after it."""
    torch = sys.modules.get("torch")  # never import torch for a NumPy-only reference
    threads = torch.get_num_threads() if torch is not None else 0
    with threadpool_limits(limits=1):
        if torch is not None:
            torch.set_num_threads(1)
        try:
            yield
        finally:
            if torch is not None:
                torch.set_num_threads(threads)


def time_limit(reference: float, factor: float, floor: float) -> float:
    """The CPU seconds allowed: ``factor`` times the reference's, at least ``floor``."""
    return max(floor, factor * reference)


def assert_fast_enough(seconds: float, reference: float, what: str, *, factor: float,
                       floor: float = 0.5, advice: str = "") -> None:
    """Fail when ``seconds`` (the student's CPU time) is over the limit for ``reference``.

    The message gives both times and the factor, and ``advice`` (what usually makes it slow).
    """
    limit = time_limit(reference, factor, floor)
    if seconds > limit:
        raise AssertionError(
            f"too slow: {what} used {seconds:.2f} s of CPU time, over its limit of {limit:.2f} s "
            f"({factor:g} times the reference solution's {reference:.3f} s, measured just now "
            f"on the same machine)" + (f": {advice}" if advice else ""))
