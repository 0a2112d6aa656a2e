"""``deepgrade similar``: the pairs of submissions of a batch whose answers are unusually alike.

Reads the cells of every submission's notebook from ``RESULTS_DIR/grades.sqlite`` (kept there
by ``deepgrade grade``), splits them into answers per question (``answers``), fingerprints each
answer (``fingerprint``: code by its normalised token stream, prose by its words), subtracts the
template and ranks each question's pairs against the cohort (``compare``). Writes
``RESULTS_DIR/similarity.csv`` (a row per flagged pair and question, most alike first),
``RESULTS_DIR/similarity.html`` and a page per flagged pair under ``RESULTS_DIR/similarity/``
(``pages``). Nothing leaves the machine; ``deepgrade report`` shows the same section.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from deepgrade.errors import UserError
from deepgrade.grade.gradebook import write_text
from deepgrade.project import Homework
from deepgrade.similar.answers import NOTEBOOK, Layout, read_layout, split_answers
from deepgrade.similar.compare import Cohort, Pair, compare
from deepgrade.similar.fingerprint import (
    CODE_K,
    CODE_W,
    Fingerprints,
    Token,
    code_fingerprints,
    code_tokens,
    text_fingerprints,
    winnow,
)
from deepgrade.store import NOT_A_NOTEBOOK, WRONG_HOMEWORK, GradeStore

CSV_NAME = "similarity.csv"
PAGE_NAME = "similarity.html"
PAIRS_FOLDER = "similarity"
CSV_COLUMNS = ("question", "submission_a", "submission_b", "score", "above_cohort")
PARALLEL_FROM = 40  # fewer notebooks are fingerprinted in this process (a pool costs ~0.3 s)


@dataclass
class Similarity:
    """A batch compared: a cohort per question, and what could not be compared."""

    homework: str
    cohorts: list[Cohort]
    answers: dict[str, dict[str, str]]  # question -> submission key -> answer text
    people: dict[str, str]  # submission key -> its people's names
    without_cells: list[str] = field(default_factory=list)  # graded before cells were kept

    @property
    def flagged(self) -> list[Pair]:
        """Every flagged pair of every question, the ones that stand out most first."""
        pairs = [p for c in self.cohorts for p in c.flagged]
        return sorted(pairs, key=lambda p: (-p.above, -p.score, p.question, p.a, p.b))

    def cohort(self, question: str) -> Cohort:
        return next(c for c in self.cohorts if c.question == question)

    def pair_pages(self) -> list[tuple[tuple[str, str], list[Pair]]]:
        """One entry per flagged pair of submissions with its flagged questions, in the order
        of its most outstanding question; its page is ``pair-<position>.html``."""
        pages: dict[tuple[str, str], list[Pair]] = {}
        for pair in self.flagged:
            pages.setdefault((pair.a, pair.b), []).append(pair)
        return list(pages.items())


def _fingerprint(layout: Layout, cells: list) -> tuple[dict[str, str], dict[str, Fingerprints]]:
    """One notebook's answers and their fingerprints (a worker's task). Each code cell is
    tokenized once, for its questions and the notebook alike."""
    written = {q.name for q in layout.written}
    answers = split_answers(cells, layout)
    tokens: dict[int, list[Token]] = {}
    prints = {}
    for question, answer in answers.items():
        if question in written:
            prints[question] = text_fingerprints(answer.text)
            continue
        found: list[Token] = []
        for cell, start, end, at in answer.pieces:
            if cell not in tokens:
                tokens[cell] = code_tokens(cells[cell].source)
            # The newline tokenize adds after a cell's last line starts at its very end.
            limit = end + 1 if end >= len(cells[cell].source) else end
            found += [Token(t.text, t.start - start + at, t.end - start + at)
                      for t in tokens[cell] if start <= t.start < limit]
        prints[question] = winnow(found, CODE_K, CODE_W)
    return {q: a.text for q, a in answers.items()}, prints


def _fingerprint_all(layout: Layout, cells: dict[str, list],
                     jobs: int) -> dict[str, tuple[dict[str, str], dict[str, Fingerprints]]]:
    """Every notebook's answers and fingerprints, on ``jobs`` processes (the tokenizing is
    most of the work; the comparison after it is quick)."""
    keys = sorted(cells)
    if jobs <= 1 or len(keys) < PARALLEL_FROM:
        return {k: _fingerprint(layout, cells[k]) for k in keys}
    with ProcessPoolExecutor(jobs) as pool:
        done = pool.map(partial(_fingerprint, layout), (cells[k] for k in keys),
                        chunksize=max(1, len(keys) // (8 * jobs)))
        return dict(zip(keys, done))


def analyse(layout: Layout, cells: dict[str, list], people: dict[str, str] | None = None,
            without_cells: list[str] | None = None, jobs: int = 2) -> Similarity:
    """Compare the notebooks ``cells`` (submission key -> the store's cells) question by
    question, fingerprinting them on ``jobs`` processes."""
    answers: dict[str, dict[str, str]] = {q: {} for q in layout.questions}
    prints: dict[str, dict[str, Fingerprints]] = {q: {} for q in layout.questions}
    for key, (texts, found) in _fingerprint_all(layout, cells, jobs).items():
        for question, text in texts.items():
            answers.setdefault(question, {})[key] = text
            prints.setdefault(question, {})[key] = found[question]
    code_template = set(code_fingerprints(layout.template_code).spans)
    written = {q.name for q in layout.written}
    cohorts = []
    for question in layout.questions:
        given = prints.get(question, {})
        if question in written:
            template = set(text_fingerprints(layout.template_text.get(question, "")).spans)
        else:
            template = code_template
        cohorts.append(compare(question, "text" if question in written else "code", given,
                               template, unanswered=len(cells) - len(given)))
    return Similarity(layout.homework, cohorts, answers, people or {}, without_cells or [])


def from_store(hw: Homework, store: GradeStore, hide_names: bool = False) -> Similarity:
    """The batch in ``store`` compared (a notebook of another homework is left out)."""
    layout = read_layout(hw)
    skipped = {r.key for r in store.rows() if r.status in (WRONG_HOMEWORK, NOT_A_NOTEBOOK)}
    rows = [r for r in store.rows() if r.key not in skipped]
    kept = store.cells()
    cells = {r.key: kept[r.key] for r in rows if r.key in kept}
    people = {r.key: "" if hide_names else "; ".join(p.name for p in r.people if p.name)
              for r in rows}
    missing = [r.key for r in rows if r.key not in kept and r.latest is not None]
    return analyse(layout, cells, people, missing)


def similarity_csv(similarity: Similarity) -> str:
    """``similarity.csv``: a row per flagged pair and question, the most alike first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in similarity.flagged:
        writer.writerow([p.question, p.a, p.b, f"{p.score:.3f}", f"{p.above:.1f}"])
    return buffer.getvalue()


def write_outputs(similarity: Similarity, folder: Path) -> list[Path]:
    """Write the CSV, the page and the pair pages into ``folder``; returns the CSV and page.
    Pair pages of an earlier run are replaced, never mixed with this one's."""
    from deepgrade.similar.pages import pair_page, standalone_page

    pages = folder / PAIRS_FOLDER
    if pages.is_dir():
        shutil.rmtree(pages)
    pages.mkdir(parents=True)
    for number, (_, pairs) in enumerate(similarity.pair_pages(), start=1):
        write_text(pages / f"pair-{number}.html", pair_page(similarity, pairs))
    write_text(folder / CSV_NAME, similarity_csv(similarity))
    write_text(folder / PAGE_NAME, standalone_page(similarity, PAIRS_FOLDER))
    return [folder / CSV_NAME, folder / PAGE_NAME]


def report_section(hw: Homework, store: GradeStore, folder: Path, page: Path,
                   hide_names: bool = False) -> str:
    """The similarity section of ``deepgrade report`` (the page at ``page``); writes the
    CSV and pair pages into ``folder`` as ``deepgrade similar`` does. A batch that cannot be
    compared gets a section saying why, not a failed report."""
    from deepgrade.similar.pages import esc, section

    try:
        similarity = from_store(hw, store, hide_names)
    except UserError as exc:
        return (f"<h2 id=\"similar\">Similar submissions</h2>\n<p>Not compared: "
                f"{esc(str(exc))}</p>\n")
    write_outputs(similarity, folder)
    href = os.path.relpath((folder / PAIRS_FOLDER).resolve(), page.parent.resolve())
    return section(similarity, Path(href).as_posix())


def main(hw: Homework, folder: Path, hide_names: bool = False) -> Similarity:
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder; pass the --out folder of `deepgrade grade`")
    with GradeStore.open(folder, hw.name) as store:
        similarity = from_store(hw, store, hide_names)
    written = write_outputs(similarity, folder)
    compared = max((len(c.compared) for c in similarity.cohorts), default=0)
    print(f"{hw.name}: {len(similarity.flagged)} flagged pair(s) and question(s) in "
          f"{len(similarity.pair_pages())} pair(s) of submissions, over {compared} notebooks; "
          f"wrote {written[0]} and {written[1]}")
    if similarity.without_cells:
        print(f"deepgrade: warning: {len(similarity.without_cells)} submission(s) were graded "
              "before deepgrade kept notebooks in the store and are not compared; grade them "
              f"again into {folder} (--resume keeps their grades)", file=sys.stderr)
    return similarity


__all__ = ["NOTEBOOK", "Similarity", "analyse", "from_store", "main", "report_section",
           "similarity_csv"]
