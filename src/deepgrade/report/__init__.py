"""``deepgrade report``: one self-contained HTML page about a graded batch, from its grade store.

Reads ``RESULTS_DIR/grades.sqlite`` (as ``deepgrade grade --out RESULTS_DIR`` writes it) and
refuses a store of another homework. Shows every submission's status; over the graded
submissions only (an unreadable upload is not a zero of the class's median): the score
histogram, the pass rate and the score distribution of each question, the most common failure
messages per question (numbers folded, so "expected 0.25, got 0.3" and "expected 0.1, got 0.7"
count as one); the submissions whose score changed at their last grading; the slowest gradings,
timed without kernel start-up. Once staff's written scores are merged (``deepgrade
merge-written``), the written questions join the figures and every total is gradebook.csv's
(``Totals``). Students' names are shown unless ``--hide-names``. Plots are inline
SVG: the page needs no network and no script.
"""

from __future__ import annotations

import html
import io
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from deepgrade.errors import UserError
from deepgrade.grade.gradebook import Line, lines, store_questions
from deepgrade.grade.messages import one_line
from deepgrade.project import Homework
from deepgrade.store import GRADED, STATUSES, GradeStore, Grading, Row

_NUMBER = re.compile(r"-?\d+(\.\d+)?(e[-+]?\d+)?")
esc = html.escape


def failure_kinds(gradings: list[Grading], question: str, top: int = 3) -> list[tuple[int, str]]:
    """The most common failure messages of a question: (submissions, an example), with numbers
    folded; each kind counts once per submission."""
    kinds: Counter[str] = Counter()
    example: dict[str, str] = {}
    for g in gradings:
        seen = set()
        for test in g.results.get("tests", []):
            if test.get("name") != question:
                continue
            for line in str(test.get("output", "")).splitlines():
                if ": failed: " not in line:
                    continue
                message = line.split(": failed: ", 1)[1]
                key = _NUMBER.sub("#", message)
                if key not in seen:
                    seen.add(key)
                    kinds[key] += 1
                    example.setdefault(key, message)
    return [(n, example[k]) for k, n in kinds.most_common(top)]


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def plots(totals: list[float], scores: list[dict[str, float]],
          questions: list[tuple[str, float]]) -> dict[str, str]:
    """Inline SVGs: histogram of ``totals`` (one per graded submission), pass rate and score
    distribution of each of ``questions`` (name, points) from ``scores`` (one dict per graded
    submission, question -> score; a missing question counts 0); counts on integer axes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    matplotlib.rcParams["svg.hashsalt"] = "deepgrade"  # stable ids: same input, same page
    max_total = sum(m for _, m in questions) or 1
    out = {}
    fig, ax = plt.subplots(figsize=(6, 3))
    # One bar per whole point (or per few points for long homeworks), centred on the score.
    step = max(1, math.ceil((max_total + 1) / 25))
    edges = [x - 0.5 for x in range(0, int(math.ceil(max_total)) + step + 1, step)]
    ax.hist(totals, bins=edges, color="#3b6ea5", edgecolor="white")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel="total score", ylabel="submissions",
           title=f"Score distribution ({len(totals)} graded)")
    out["histogram"] = _svg(fig)
    plt.close(fig)
    names = [q for q, _ in questions]
    n = max(len(scores), 1)
    rates = [sum(s.get(q, 0.0) >= m for s in scores) / n for q, m in questions]
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(names) + 1))
    ax.barh(names[::-1], rates[::-1], color="#5a9e6f")
    ax.set(xlim=(0, 1), xlabel="fraction of the graded with full marks",
           title="Pass rate per question")
    out["pass-rate"] = _svg(fig)
    plt.close(fig)
    cols = 3
    rows = (len(questions) + cols - 1) // cols or 1
    fig, axes = plt.subplots(rows, cols, figsize=(9, 2.1 * rows), squeeze=False)
    for ax, (q, m) in zip(axes.flat, questions):
        counts = Counter(round(s.get(q, 0.0), 2) for s in scores)
        values = sorted(counts)
        # Bars at their score on an axis from 0 to the maximum, so "all full marks" and "all
        # zero" look different at a glance.
        ax.bar(values, [counts[v] for v in values], width=max(m / 12, 0.3), color="#8c6bb1")
        ax.set_xlim(-max(m / 12, 0.3), m + max(m / 12, 0.3))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(f"{q} (of {m:g})", fontsize=9)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(questions):]:
        ax.axis("off")
    fig.supylabel("submissions", fontsize=9)
    fig.tight_layout()
    out["distributions"] = _svg(fig)
    plt.close(fig)
    return out


def _who(row: Row, hide: bool) -> str:
    if hide:
        return ""
    # Escaped where it is written; made one printable line here (no bidirectional overrides
    # that would reorder the row, no control characters), cut at 120 characters.
    return "; ".join(one_line(p.name, 120) for p in row.people if one_line(p.name, 120))


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):g}" if values else "-"


def render(store: GradeStore, hide_names: bool = False, sections: str = "") -> str:
    """The page; ``sections``: HTML of other commands' sections (similarity), shown before
    the roster."""
    homework = store.homework
    rows = list(store.rows())
    auto, written = store_questions(store)
    graded_rows = [r for r in rows if r.latest and r.status == GRADED]
    graded = [r.latest for r in graded_rows if r.latest]
    view = Totals.of(store, auto, written)
    questions = view.questions
    max_total = sum(m for _, m in questions)
    figs = plots([view.total(r) for r in graded_rows], [view.scores(r) for r in graded_rows],
                 questions)
    counts = Counter(r.status for r in rows)
    status_text = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
    name_col = "" if hide_names else "<th>name</th>"

    def who_cell(r: Row) -> str:
        return "" if hide_names else f"<td>{esc(_who(r, False))}</td>"

    failures = []
    for q, _ in auto:  # written questions have no failure messages
        kinds = failure_kinds(graded, q)
        items = "".join(f"<li><b>{n}×</b> {esc(msg)}</li>" for n, msg in kinds) or "<li>none</li>"
        failures.append(f"<tr><td><code>{esc(q)}</code></td><td><ul>{items}</ul></td></tr>")
    not_graded = "".join(
        f"<tr><td>{esc(r.key)}</td>{who_cell(r)}<td>{esc(r.status)}</td><td>"
        f"{esc(r.latest.messages[0] if r.latest and r.latest.messages else '')}</td></tr>"
        for r in rows if r.status != GRADED) or "<tr><td colspan=4>none</td></tr>"
    changed = [r for r in rows if r.latest and r.previous
               and (r.latest.scores != r.previous.scores or r.latest.status != r.previous.status)]
    changed_rows = "".join(
        f"<tr><td>{esc(r.key)}</td>{who_cell(r)}<td class=nowrap>{r.previous.score:g} → "
        f"{r.latest.score:g}</td><td>{esc(_question_changes(r))}</td>"
        f"<td>{esc(r.latest.graded_at)}</td></tr>"
        for r in changed if r.previous and r.latest) or "<tr><td colspan=5>none</td></tr>"
    slow = sorted(graded_rows, key=lambda r: -(r.latest.work_seconds if r.latest else 0))[:10]
    slow_rows = "".join(
        f"<tr><td>{esc(r.key)}</td>{who_cell(r)}<td>{r.latest.work_seconds:.1f} s</td>"
        f"<td>{view.total(r):g}/{max_total:g}</td></tr>" for r in slow if r.latest)
    score_cols = "<th>autograded</th><th>written</th><th>total</th>" if view.merged else \
        "<th>score</th>"
    roster = "".join(
        f"<tr><td>{esc(r.key)}</td>{who_cell(r)}<td>{esc(r.status)}</td>"
        f"{view.cells(r)}</tr>" for r in rows)
    totals = [view.total(r) for r in graded_rows]
    written_note = view.note()
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(homework)}: grading report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .3em .6em; text-align: left;
          vertical-align: top; }}
ul {{ margin: 0; padding-left: 1.2em; }} .nowrap {{ white-space: nowrap; }}
figure {{ margin: 1em 0; }} svg {{ max-width: 100%; height: auto; }}
</style></head><body>
<h1>{esc(homework)}: grading report</h1>
<p id="overview">{len(rows)} submissions: {esc(status_text)}. Over the {len(graded)} graded:
median total {_median(totals)} of {max_total:g}.{esc(written_note)}</p>
<figure id="histogram">{figs['histogram']}</figure>
<figure id="pass-rate">{figs['pass-rate']}</figure>
<h2>Score distribution per question (graded submissions)</h2>
<figure id="distributions">{figs['distributions']}</figure>
<h2>Changed since last grading</h2>
<table id="changed"><tr><th>submission</th>{name_col}<th>total</th><th>questions</th>
<th>regraded at</th></tr>{changed_rows}</table>
<h2>Submissions not graded</h2>
<table id="not-graded"><tr><th>submission</th>{name_col}<th>status</th><th>reason</th></tr>
{not_graded}</table>
<h2>Most common failures per question</h2>
<table id="failures"><tr><th>question</th><th>failure messages (submissions × example)</th></tr>
{''.join(failures)}</table>
<h2>Slowest gradings (student's cells and tests, without kernel start-up)</h2>
<table id="slowest"><tr><th>submission</th>{name_col}<th>grading time</th><th>score</th></tr>
{slow_rows}</table>
{sections}<h2>Every submission</h2>
<table id="roster"><tr><th>submission</th>{name_col}<th>status</th>{score_cols}</tr>
{roster}</table>
</body></html>
"""


@dataclass(frozen=True)
class Totals:
    """The scores the report shows. Before staff's written scores are merged: the autograded
    questions, written ones said to be missing. Once any are merged: the written questions too,
    and each submission's total as gradebook.csv has it (autograded + written, less a late
    penalty), from the gradebook's own rows (its first student's, for a group)."""

    auto: list[tuple[str, float]]
    written: list[tuple[str, float]]
    line_of: dict[str, Line]  # submission -> its first gradebook row
    merged: bool  # any written score recorded for a student of this store

    @classmethod
    def of(cls, store: GradeStore, auto: list[tuple[str, float]],
           written: list[tuple[str, float]]) -> Totals:
        line_of: dict[str, Line] = {}
        every = lines(store)
        for line in every:
            line_of.setdefault(line.row.key, line)
        merged = bool(written) and any(line.written for line in every)
        return cls(auto, written, line_of, merged)

    @property
    def questions(self) -> list[tuple[str, float]]:
        return self.auto + self.written if self.merged else self.auto

    def scores(self, row: Row) -> dict[str, float]:
        line = self.line_of[row.key]
        return {**line.auto, **line.written} if self.merged else dict(line.auto)

    def total(self, row: Row) -> float:
        line = self.line_of[row.key]
        return line.total if self.merged else sum(line.auto.values())

    def cells(self, row: Row) -> str:
        """The roster's score cells of ``row``."""
        if row.latest is None:
            return "<td>-</td>" * (3 if self.merged else 1)
        if not self.merged:
            return f"<td>{row.latest.score:g}</td>"
        line = self.line_of[row.key]
        return (f"<td>{sum(line.auto.values()):g}</td><td>{sum(line.written.values()):g}</td>"
                f"<td>{self.total(row):g}</td>")

    def note(self) -> str:
        names = ", ".join(q for q, _ in self.written)
        if not self.written:
            return ""
        if not self.merged:
            return (f" Written questions ({names}) are graded by staff and are not in these "
                    "figures yet: `deepgrade merge-written` adds their scores.")
        return (f" Totals are gradebook.csv's: autograded plus the written questions ({names}) "
                "merged from staff's scores, less any late penalty.")


def _question_changes(row: Row) -> str:
    old, new = row.previous, row.latest
    if old is None or new is None:
        return ""
    parts = [f"{q} {old.scores.get(q, (0, 0))[0]:g} → {s:g}" for q, (s, _) in new.scores.items()
             if old.scores.get(q, (None, 0))[0] != s]
    if old.status != new.status:
        parts.append(f"{old.status} → {new.status}")
    return ", ".join(parts)


def main(homework: str, folder: Path, out: Path | None = None, hide_names: bool = False,
         hw: Homework | None = None) -> Path:
    """Write the report; with ``hw``, its similar-submissions section too (``similar``)."""
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder; pass the --out folder of `deepgrade grade`")
    out = out or folder / "report.html"
    with GradeStore.open(folder, homework) as store:
        sections = ""
        if hw is not None:
            from deepgrade.similar import report_section

            sections = report_section(hw, store, folder, out, hide_names)
        page = render(store, hide_names, sections)
    out.write_text(page)
    print(f"report written to {out}")
    return out
