"""Text that reaches a student's results: one printable line of bounded length.

Every message in results.json can carry text the student controls (an exception's message, a
string their function returned, a class name), so each one passes through ``one_line`` on its way
out: no newlines (a fake "hidden test 3: passed" line), no ANSI or other control characters, no
megabytes.
"""

from __future__ import annotations

import re

LIMIT = 300  # one part: an exception, an error the kernel reported
RESULT_LIMIT = 500  # one line of results.json: a part with the grader's words around it
# C0 and C1 controls, DEL, and the Unicode format/separator characters that reorder or hide text
# (bidirectional overrides, zero-width joiners, line and paragraph separators).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
# An ANSI escape sequence (CSI ... final byte, or ESC and one character): removed whole, so no
# "[32m" remnant is left behind.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|.)?", re.DOTALL)


def one_line(text: object, limit: int = LIMIT) -> str:
    """``text`` as one printable line of at most ``limit`` characters (cut with "...")."""
    try:
        text = str(text)
    except Exception:  # a student object whose __str__ raises
        text = f"<{type(text).__name__}>"
    # Cut before cleaning too: the regular expressions then never scan megabytes.
    text = text[: 4 * limit + 64]
    text = _ANSI.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def describe_exception(exc: BaseException, limit: int = LIMIT) -> str:
    """``Type: message`` on one line (see ``one_line``)."""
    try:
        # A SyntaxError's str() adds IPython's internal cell name and the line, which the
        # caller reports once, in the student's terms ("line 5").
        message = exc.msg if isinstance(exc, SyntaxError) and exc.msg else exc
        text = f"{type(exc).__name__}: {message}".strip().rstrip(":")
    except Exception:  # a student exception whose __str__ itself raises
        text = type(exc).__name__
    return one_line(text, limit)
