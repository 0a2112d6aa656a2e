"""The HTML of ``deepgrade similar``: the report's section, its own page, and a page per pair.

Every byte of an answer and of a name is a student's: all of it is escaped, nothing is run, and
the pages load nothing (no script, no network).
"""

from __future__ import annotations

import html

from deepgrade.similar.answers import NOTEBOOK
from deepgrade.similar.compare import (
    MIN_ABOVE,
    MIN_FINGERPRINTS,
    MIN_SCORE,
    Cohort,
    Pair,
    merge_spans,
)
from deepgrade.similar.fingerprint import CODE_K, CODE_W, MAX_CHARS, TEXT_K, TEXT_W

esc = html.escape

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 80em; color: #222; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #ddd; padding: .3em .6em; text-align: left;
         vertical-align: top; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
pre { background: #f6f6f6; padding: .6em; white-space: pre-wrap; overflow-wrap: anywhere;
      font-size: 85%; margin: 0; }
mark { background: #ffd36b; }
.muted { color: #666; }
"""

CANNOT_TELL = (
    "who copied from whom, or whether two students worked together with permission;",
    "a copy rewritten by hand or by a tool into other code (another algorithm, other library "
    "calls): only shared runs of code or words count;",
    "a solution shared by many students (more than a tenth of the class): it counts as the "
    "usual way of writing the answer, as the template does;",
    f"answers shorter than {MIN_FINGERPRINTS} fingerprints once the template is taken out (a "
    f"one-line formula): they are not compared;",
    "code copied from outside the batch (a past year, a website): only this batch's "
    "submissions are compared.",
)


def _who(similarity, key: str) -> str:
    name = similarity.people.get(key, "")
    return f"{esc(key)}" + (f" <span class=muted>({esc(name)})</span>" if name else "")


def _label(question: str) -> str:
    return "whole notebook (code)" if question == NOTEBOOK else question


def section(similarity, pair_href: str) -> str:
    """The similarity section (``<h2>`` and its tables); pair pages are at
    ``<pair_href>/pair-<n>.html``."""
    pages = similarity.pair_pages()
    page_of = {ab: n for n, (ab, _) in enumerate(pages, start=1)}
    rows = "".join(
        f"<tr><td><code>{esc(_label(p.question))}</code></td><td>{_who(similarity, p.a)}</td>"
        f"<td>{_who(similarity, p.b)}</td><td class=num>{p.score:.2f}</td>"
        f"<td class=num>{p.above:.1f}</td><td><a href=\"{esc(pair_href)}/pair-"
        f"{page_of[p.a, p.b]}.html\">pair {page_of[p.a, p.b]}</a></td></tr>"
        for p in similarity.flagged) or "<tr><td colspan=6>no pair stands out</td></tr>"
    per_question = "".join(_cohort_row(c) for c in similarity.cohorts)
    missing = ""
    if similarity.without_cells:
        missing = (f"<p><b>Not compared:</b> {len(similarity.without_cells)} submission(s) "
                   "graded before deepgrade kept notebooks in its store "
                   f"({esc(', '.join(similarity.without_cells[:10]))}"
                   f"{', ...' if len(similarity.without_cells) > 10 else ''}); grade them again "
                   "into this folder (<code>--resume</code> keeps their grades).</p>")
    cannot = "".join(f"<li>{esc(line)}</li>" for line in CANNOT_TELL)
    # The report's page has its own style sheet: the section brings the two classes it adds.
    return f"""<style>.num {{ text-align: right; }} td.num {{ white-space: nowrap; }}
.muted {{ color: #666; }} td.note {{ min-width: 12em; }}</style>
<h2 id="similar">Similar submissions</h2>
<p>Pairs of submissions whose answers to a question are unusually alike, compared on this
machine (nothing was sent anywhere). <b>score</b>: the share of the smaller answer found in the
other, once the template and what most of the class writes are taken out (rarer shared code
weighs more); <b>above cohort</b>: how many standard deviations the pair stands above the
question's other pairs. Flagged: score at least {MIN_SCORE:g} and at least {MIN_ABOVE:g}
above. Code is compared by its tokens with names, comments, docstrings and layout taken out
(runs of {CODE_K + CODE_W - 1} tokens); written answers by their words with LaTeX normalised
(runs of {TEXT_K + TEXT_W - 1}). A flag is a reason to look, not a finding.</p>
{missing}
<table id="similar-pairs"><tr><th>question</th><th>submission</th><th>submission</th>
<th class=num>score</th><th class=num>above cohort</th><th>side by side</th></tr>
{rows}</table>
<h3>Per question</h3>
<table id="similar-questions"><tr><th>question</th><th class=num>compared</th>
<th class=num>too short</th><th class=num>unanswered</th><th class=num>cohort mean ± sd</th>
<th class=num>flagged</th><th>cannot tell</th></tr>
{per_question}</table>
<h3>What this cannot tell</h3>
<ul>{cannot}</ul>
"""


def _cohort_row(c: Cohort) -> str:
    return (f"<tr><td><code>{esc(_label(c.question))}</code> <span class=muted>({c.kind})"
            f"</span></td><td class=num>{len(c.compared)}</td><td class=num>{len(c.too_short)}"
            f"</td><td class=num>{c.unanswered}</td><td class=num>{c.mean:.2f} ± {c.sd:.2f}"
            f"</td><td class=num>{len(c.flagged)}</td><td class=note>{esc(c.note)}</td></tr>")


def standalone_page(similarity, pair_href: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(similarity.homework)}: similar submissions</title>
<style>{STYLE}</style></head><body>
<h1>{esc(similarity.homework)}: similar submissions</h1>
{section(similarity, pair_href)}
</body></html>
"""


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` escaped, with each span in ``<mark>``; marks only white space apart are one
    (comments and docstrings between the tokens of a match stay unmarked)."""
    joined: list[tuple[int, int]] = []
    for start, end in merge_spans(spans):
        if joined and not text[joined[-1][1]:start].strip():
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    out, at = [], 0
    for start, end in (span for span in joined if span[0] < MAX_CHARS):
        out += [esc(text[at:start]), "<mark>", esc(text[start:end]), "</mark>"]
        at = end
    out.append(esc(text[at:MAX_CHARS]))
    if len(text) > MAX_CHARS:  # a page a browser can open, whatever a student pasted
        out.append(f"\n[... {len(text) - MAX_CHARS} more characters not shown]")
    return "".join(out)


def pair_page(similarity, pairs: list[Pair]) -> str:
    """Two submissions side by side, a block per flagged question, the shared runs marked."""
    a, b = pairs[0].a, pairs[0].b
    blocks = []
    for pair in pairs:
        cohort: Cohort = similarity.cohort(pair.question)
        spans_a, spans_b = cohort.shared_spans(pair)
        text_a = similarity.answers[pair.question][a]
        text_b = similarity.answers[pair.question][b]
        blocks.append(f"""<h2>{esc(_label(pair.question))}</h2>
<p>score {pair.score:.2f}, {pair.above:.1f} standard deviations above the question's
{cohort.pairs} pairs (their mean {cohort.mean:.2f}, sd {cohort.sd:.2f}).</p>
<div class=sides><div><h3>{_who(similarity, a)}</h3><pre>{marked(text_a, spans_a)}</pre></div>
<div><h3>{_who(similarity, b)}</h3><pre>{marked(text_b, spans_b)}</pre></div></div>""")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(similarity.homework)}: {esc(a)} and {esc(b)}</title>
<style>{STYLE}</style></head><body>
<p><a href="../similarity.html">all similar submissions</a></p>
<h1>{esc(similarity.homework)}: {_who(similarity, a)} and {_who(similarity, b)}</h1>
<p>Marked: the runs of code or words the two answers share that count in the score (the
template's and what most of the class writes are not marked).</p>
{''.join(blocks)}
</body></html>
"""
