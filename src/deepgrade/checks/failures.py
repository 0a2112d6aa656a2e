"""Collecting every failing property of one test case, so one submission shows every bug.

A case that compares several things (each gradient of a network, a forward and a backward, small
and large logits) would otherwise stop at its first failing ``assert`` and hide the others; the
student then fixes one bug per submission.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType

MAX_REPORTED = 8  # more than this many failures of one case are counted, not listed


class CheckFailures(AssertionError):
    """Several failed checks of one test case; ``messages`` holds each one, in check order."""

    def __init__(self, messages: list[str]) -> None:
        shown = messages[:MAX_REPORTED]
        if len(messages) > len(shown):
            shown = shown + [f"and {len(messages) - len(shown)} more checks failed"]
        super().__init__("\n".join(shown))
        self.messages = shown


class Failures:
    """Run checks, keep going past a failure, then fail once with every message.

    ``with failures:`` around a check records its AssertionError instead of raising it (any other
    exception, a crash of the student's code, still stops the case)::

        failures = Failures()
        for key in ["dJdW2", "dJdb2", "dJdW1", "dJdb1"]:  # nearest the output first
            with failures:
                assert_close(grads[key], expected[key], key)
        failures.raise_any()
    """

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __enter__(self) -> Failures:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> bool:
        if isinstance(error, CheckFailures):
            self.messages += error.messages
            return True
        if isinstance(error, AssertionError):
            self.messages.append(str(error) or "a check failed")
            return True
        return False

    def __bool__(self) -> bool:
        """True when some check failed."""
        return bool(self.messages)

    def raise_any(self) -> None:
        """Raise one AssertionError listing every recorded failure (nothing when none)."""
        if len(self.messages) == 1:
            raise AssertionError(self.messages[0])
        if self.messages:
            raise CheckFailures(self.messages)


@contextmanager
def other_question_first(question: str, check: Callable[[], None]) -> Iterator[None]:
    """Around a check of code that relies on another question's code (a Jacobian built on the
    student's softmax): when the check fails, ``check`` judges that other code with the grader's
    own expected values; if it fails too, the message names it and the question it belongs to,
    and says this check was not graded on its own merits (fix that question first)."""
    try:
        yield
    except AssertionError as failed:
        try:
            check()
        except AssertionError as wrong:
            raise AssertionError(
                f"{wrong}: your code from question {question} is wrong here, so this was not "
                f"graded on its own merits; fix question {question} first") from None
        except Exception:  # the other code is missing or crashes: the failure stands as it is
            pass
        raise failed
