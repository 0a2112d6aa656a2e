"""``deepgrade report``: one self-contained HTML page about a graded batch.

Reads ``RESULTS_DIR/<submission>/results.json`` (as ``deepgrade grade`` writes them) and shows
the score histogram, the pass rate of each question, the most common failure messages per
question (numbers folded, so "expected 0.25, got 0.3" and "expected 0.1, got 0.7" count as one),
and the slowest submissions. Plots are inline SVG: the page needs no network and no script.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from deepgrade.errors import UserError

_NUMBER = re.compile(r"-?\d+(\.\d+)?(e[-+]?\d+)?")


@dataclass
class Graded:
    key: str
    results: dict


def load_results(folder: Path) -> list[Graded]:
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder; pass the --out folder of `deepgrade grade`")
    found = []
    for path in sorted(folder.glob("*/results.json")):
        try:
            found.append(Graded(path.parent.name, json.loads(path.read_text())))
        except json.JSONDecodeError:
            raise UserError(f"{path} is not valid JSON; grade that submission again") from None
    if not found:
        raise UserError(f"{folder} has no <submission>/results.json files")
    return found


def not_run(g: Graded) -> str | None:
    """The reason when a whole submission could not be run (no notebook, unreadable file)."""
    notes = [line.removeprefix("Note: ") for line in g.results.get("output", "").splitlines()
             if line.startswith("Note: ")]
    tests = g.results.get("tests", [])
    for note in notes:
        if tests and all(note in t.get("output", "") for t in tests):
            return note
    return None


def failure_kinds(graded: list[Graded], question: str, top: int = 3) -> list[tuple[int, str]]:
    """The most common failure messages of a question: (submissions, an example), with numbers
    folded; each kind counts once per submission."""
    kinds: Counter[str] = Counter()
    example: dict[str, str] = {}
    for g in graded:
        if not_run(g):
            continue
        seen = set()
        for test in g.results.get("tests", []):
            if test["name"] != question:
                continue
            for line in test.get("output", "").splitlines():
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


def plots(graded: list[Graded], questions: list[str], max_total: float) -> tuple[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.hashsalt"] = "deepgrade"  # stable ids: same input, same page
    totals = [g.results.get("score", 0) for g in graded]
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(totals, bins=min(20, max(5, len(set(totals)))), range=(0, max_total or 1),
            color="#3b6ea5", edgecolor="white")
    ax.set(xlabel="total score", ylabel="submissions", title="Score distribution")
    histogram = _svg(fig)
    plt.close(fig)
    rates = []
    for q in questions:
        tests = [t for g in graded for t in g.results.get("tests", []) if t["name"] == q]
        rates.append(sum(t["score"] >= t["max_score"] for t in tests) / max(len(tests), 1))
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(questions) + 1))
    ax.barh(questions[::-1], rates[::-1], color="#5a9e6f")
    ax.set(xlim=(0, 1), xlabel="fraction with full marks", title="Pass rate per question")
    pass_rate = _svg(fig)
    plt.close(fig)
    return histogram, pass_rate


def render(homework: str, graded: list[Graded]) -> str:
    questions = [t["name"] for t in graded[0].results.get("tests", [])]
    max_total = sum(t["max_score"] for t in graded[0].results.get("tests", []))
    histogram, pass_rate = plots(graded, questions, max_total)
    esc = html.escape
    rows = []
    for q in questions:
        kinds = failure_kinds(graded, q)
        items = "".join(f"<li><b>{n}×</b> {esc(msg)}</li>" for n, msg in kinds) or "<li>none</li>"
        rows.append(f"<tr><td><code>{esc(q)}</code></td><td><ul>{items}</ul></td></tr>")
    slow = sorted(graded, key=lambda g: -float(g.results.get("execution_time", 0)))[:10]
    slow_rows = "".join(
        f"<tr><td>{esc(g.key)}</td><td>{float(g.results.get('execution_time', 0)):.1f} s</td>"
        f"<td>{g.results.get('score', 0):g}/{max_total:g}</td></tr>" for g in slow)
    broken = "".join(f"<tr><td>{esc(g.key)}</td><td>{esc(not_run(g))}</td></tr>"
                     for g in graded if not_run(g)) or "<tr><td colspan=2>none</td></tr>"
    totals = sorted(g.results.get("score", 0) for g in graded)
    median = totals[len(totals) // 2]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(homework)}: grading report</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .3em .6em; text-align: left;
          vertical-align: top; }}
ul {{ margin: 0; padding-left: 1.2em; }}
figure {{ margin: 1em 0; }} svg {{ max-width: 100%; height: auto; }}
</style></head><body>
<h1>{esc(homework)}: grading report</h1>
<p>{len(graded)} submissions; median total {median:g} of {max_total:g}.</p>
<figure id="histogram">{histogram}</figure>
<figure id="pass-rate">{pass_rate}</figure>
<h2>Most common failures per question</h2>
<table id="failures"><tr><th>question</th><th>failure messages (submissions × example)</th></tr>
{''.join(rows)}</table>
<h2>Submissions that could not be run</h2>
<table id="not-run"><tr><th>submission</th><th>reason</th></tr>{broken}</table>
<h2>Slowest submissions</h2>
<table id="slowest"><tr><th>submission</th><th>grading time</th><th>score</th></tr>
{slow_rows}</table>
</body></html>
"""


def main(homework: str, folder: Path, out: Path | None = None) -> Path:
    graded = load_results(folder)
    out = out or folder / "report.html"
    out.write_text(render(homework, graded))
    print(f"report written to {out}")
    return out
