"""Shorter ``grader.check`` messages: for each failing test case, the line that failed and its
message, instead of every later line of the case (which then fail only because that one did).

Shipped beside the student notebook by ``deepgrade build`` and imported by its first cell. It
replaces ``otter.test_files.ok_test.run_doctest`` (otter 7), keeping its contract: a case passes
when every line runs and prints what the test expects (nothing, for ``assert`` lines).
"""

from __future__ import annotations

import contextlib
import doctest
import io
import random
import sys
import traceback
import warnings
from typing import Any

import otter.test_files.abstract_test as _abstract_test
import otter.test_files.ok_test as _ok_test
from otter.utils import hide_outputs


def _failing_line(source: str, exc: BaseException, filename: str) -> str:
    """The line of ``source`` where ``exc`` was raised (its innermost frame in the test)."""
    lines = source.splitlines()
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    number = frames[-1].lineno if frames and frames[-1].lineno else 1
    return lines[number - 1].strip() if 0 < number <= len(lines) else lines[0].strip()


def run_doctest(name: str, doctest_string: str,
                global_environment: dict[str, Any]) -> tuple[bool, str]:
    """Run the test's lines in order and stop at the first that fails: ``(passed, message)``."""
    examples = doctest.DocTestParser().get_examples(doctest_string, name)
    for example in examples:
        filename = f"<{name}>"
        out = io.StringIO()
        # As doctest does: a bare expression's value goes to stdout (plain Python's displayhook,
        # not IPython's), where it is compared with what the test expects.
        displayhook, sys.displayhook = sys.displayhook, sys.__displayhook__
        try:
            # Warnings from torch or NumPy are noise to a test (the grader ignores them too);
            # printed here they would count as output the test does not expect.
            with contextlib.redirect_stdout(out), hide_outputs(), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(compile(example.source, filename, "single"), global_environment)
        except Exception as exc:  # the test's line failed: say which, and why, in two lines
            line = _failing_line(example.source, exc, filename)
            message = " ".join(str(exc).split())
            detail = ": " + message if message else ""
            return False, f"    {line}\n    {type(exc).__name__}{detail}\n"
        finally:
            sys.displayhook = displayhook
        if not doctest.OutputChecker().check_output(example.want, out.getvalue(), 0):
            line = example.source.strip().splitlines()[0]
            got = out.getvalue().strip()[:200]
            return False, (f"    {line}\n    printed {got!r} where the test expects "
                           f"{example.want.strip()[:200] or 'nothing'!r}\n")
    return True, ""


_ok_test.run_doctest = run_doctest
# Otter picks a random emoji for "passed!" from Python's global `random`, whose state the
# student's own code (and anything it imports) moves: a generator of its own keeps the executed
# solutions byte-reproducible and leaves the student's random numbers alone.
_abstract_test.random = random.Random(0)
