"""Winnowed fingerprints of an answer: code by its normalised token stream, prose by its words.

Code goes through Python's ``tokenize``: comments, blank lines and docstrings go, every name a
student chooses becomes ``V`` (keywords, builtins and attribute names after a dot stay, so
``np.exp`` keeps ``exp`` while ``def softmax(x)`` and ``def smax(z)`` are the same), strings
become ``S``, and a statement's end is ``;`` whether a newline or a semicolon ends it (line breaks
inside brackets are gone). Renaming, reformatting and comments therefore change nothing.

Prose (written answers) is lower-cased words and symbols with LaTeX normalised: ``$``, spacing
commands, ``\\left``/``\\right``, font wrappers (``\\mathrm``...) and braces go, and ``\\dfrac``
or ``\\tfrac`` is ``\\frac``, so ``$\\frac{a}{b}$`` and ``\\(\\dfrac a b\\)`` read the same.

A fingerprint is the hash of ``k`` consecutive tokens; winnowing (Schleimer, Wilkerson and Aiken,
SIGMOD 2003, as MOSS does) keeps the smallest hash of every ``w`` consecutive ones, so any run of
``k + w - 1`` tokens two answers share gives them at least one common fingerprint, and reordered
functions or added dead code leave the fingerprints of the rest as they were. Hashes are
computed from the tokens' CRCs, so they are the same in every process (Python salts the
hashes of strings).
"""

from __future__ import annotations

import builtins
import io
import keyword
import re
import tokenize
import zlib
from array import array
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

CODE_K, CODE_W = 8, 4  # a shared run of 11 normalised tokens always shows
TEXT_K, TEXT_W = 6, 3  # a shared run of 8 words or symbols always shows
MAX_CHARS = 100_000  # an answer is compared on its first 100k characters (bounds a hostile one)

_KEPT_NAMES = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins))
_SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING,
            tokenize.ENDMARKER}
_FALLBACK = re.compile(r"[A-Za-z_]\w*|\d[\w.]*|\S")  # for code tokenize cannot read
_LATEX_DROPPED = re.compile(
    r"\\(left|right|big|Big|bigg|Bigg|displaystyle|textstyle|quad|qquad|mathrm|mathbf|mathit|"
    r"mathsf|mathcal|boldsymbol|bm|text|textbf|textit|operatorname)(?![A-Za-z])|\\[,;:! ]|[${}]"
    r"|\\[()\[\]]")
_TEXT_TOKEN = re.compile(r"\\[A-Za-z]+|[^\W_]+|[^\s\w*#>`|]")


class Token(NamedTuple):  # a tuple: a class of 500 notebooks makes millions of them
    text: str  # normalised
    start: int  # character offsets into the answer's text
    end: int


@dataclass(frozen=True)
class Fingerprints:
    """The fingerprints of one answer: hash -> the positions (index of the first of its ``k``
    tokens) it was taken at, and each token's character span in the answer's text."""

    spans: dict[int, list[int]]
    k: int
    starts: array  # per token: its first character in the answer's text
    ends: array  # per token: one past its last character

    @property
    def tokens(self) -> int:
        return len(self.starts)

    def without(self, dropped: set[int] | frozenset[int]) -> Fingerprints:
        """The same, less the fingerprints in ``dropped`` (the template's, say)."""
        return Fingerprints({h: s for h, s in self.spans.items() if h not in dropped}, self.k,
                            self.starts, self.ends)

    def characters(self, hashes: set[int]) -> list[tuple[int, int]]:
        """The character spans of every token of the fingerprints ``hashes`` (to mark)."""
        tokens = {i for h in hashes for first in self.spans.get(h, ())
                  for i in range(first, first + self.k)}
        return [(self.starts[i], self.ends[i]) for i in sorted(tokens)]


def _offsets(text: str) -> list[int]:
    """Character offset of the start of each line (1-based rows, as tokenize counts)."""
    starts = [0, 0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _python_tokens(text: str) -> list[Token]:
    """Normalised tokens of Python source; raises tokenize.TokenError or SyntaxError on source
    tokenize cannot read (an unclosed bracket, a bad dedent)."""
    rows = _offsets(text)
    raw = [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
           if t.type not in _SKIPPED]
    out: list[Token] = []
    brackets: list[bool] = []  # per open bracket: is it a call's (its ``name=`` is an API's)
    for i, tok in enumerate(raw):
        start = rows[tok.start[0]] + tok.start[1]
        end = rows[tok.end[0]] + tok.end[1]
        previous = out[-1].text if out else ";"
        if tok.string in "([{" and tok.type == tokenize.OP:
            # A call's bracket follows a name or a closing bracket; a def's parameters do not
            # count (their names are the student's).
            before = out[-2].text if len(out) > 1 else ""
            callee = previous in (")", "]") or (previous.isidentifier()
                                                and not keyword.iskeyword(previous))
            brackets.append(tok.string == "(" and callee and before not in ("def", "class"))
        elif tok.string in ")]}" and tok.type == tokenize.OP and brackets:
            brackets.pop()
        if tok.type == tokenize.NEWLINE or tok.string == ";":
            if previous != ";":
                out.append(Token(";", start, end))
            continue
        if tok.type == tokenize.STRING:
            following = raw[i + 1] if i + 1 < len(raw) else None
            alone = following is None or following.type == tokenize.NEWLINE or \
                following.string == ";"
            if previous == ";" and alone:
                continue  # a docstring or a string used as a comment: not code
            out.append(Token("S", start, end))
        elif tok.type == tokenize.NAME:
            following = raw[i + 1] if i + 1 < len(raw) else None
            keyword_argument = bool(brackets) and brackets[-1] and following is not None \
                and following.string == "="
            kept = tok.string in _KEPT_NAMES or previous == "." or keyword_argument
            out.append(Token(tok.string if kept else "V", start, end))
        else:
            out.append(Token(tok.string, start, end))
    return out


def code_tokens(text: str) -> list[Token]:
    """Normalised tokens of a code answer; code ``tokenize`` refuses is split by a plain
    pattern instead (names still become ``V``), so a broken cell is still compared."""
    text = text[:MAX_CHARS]
    try:
        return _python_tokens(text)
    except (tokenize.TokenError, SyntaxError):
        pass
    out = []
    for m in _FALLBACK.finditer(text):
        word = m.group()
        kept = word in _KEPT_NAMES or not (word[0].isalpha() or word[0] == "_")
        out.append(Token(word if kept else "V", m.start(), m.end()))
    return out


def text_tokens(text: str) -> list[Token]:
    """Lower-cased words and symbols of a written answer, LaTeX normalised; each token keeps
    its span in ``text``."""
    text = text[:MAX_CHARS]
    out = []
    # Blank out what normalise_latex drops, keeping every other character where it was.
    blanked = _LATEX_DROPPED.sub(lambda m: " " * len(m.group()), text)
    for m in _TEXT_TOKEN.finditer(blanked):
        word = m.group().lower()
        if word in ("\\dfrac", "\\tfrac"):
            word = "\\frac"
        out.append(Token(word, m.start(), m.end()))
    return out


_MULTIPLIER = np.uint64(0x100000001B3)  # FNV's prime: a polynomial hash modulo 2**64


def _kgram_hashes(tokens: list[Token], k: int) -> np.ndarray:
    """One hash per run of ``k`` tokens: a polynomial in the tokens' CRCs, modulo 2**64."""
    ids = np.fromiter((zlib.crc32(t.text.encode()) for t in tokens), dtype=np.uint64,
                      count=len(tokens))
    if len(ids) < k:
        return np.zeros(0, dtype=np.uint64)
    powers = _MULTIPLIER ** np.arange(k - 1, -1, -1, dtype=np.uint64)  # wraps modulo 2**64
    with np.errstate(over="ignore"):
        return sliding_window_view(ids, k) @ powers


def winnow(tokens: list[Token], k: int, w: int) -> Fingerprints:
    """The winnowed fingerprints of a token stream: of every ``w`` consecutive k-gram hashes
    the smallest (the rightmost of equal ones), each with where its ``k`` tokens start."""
    hashes = _kgram_hashes(tokens, k)
    spans: dict[int, list[int]] = {}
    if len(hashes):
        w = min(w, len(hashes))
        windows = sliding_window_view(hashes, w)[:, ::-1]  # reversed: argmin finds the rightmost
        picks = np.arange(len(windows)) + (w - 1 - windows.argmin(axis=1))
        picks = picks[np.concatenate(([True], picks[1:] != picks[:-1]))]
        for h, at in zip(hashes[picks].tolist(), picks.tolist()):
            spans.setdefault(h, []).append(at)
    return Fingerprints(spans, k, array("i", (t.start for t in tokens)),
                        array("i", (t.end for t in tokens)))


def code_fingerprints(text: str) -> Fingerprints:
    return winnow(code_tokens(text), CODE_K, CODE_W)


def text_fingerprints(text: str) -> Fingerprints:
    return winnow(text_tokens(text), TEXT_K, TEXT_W)
