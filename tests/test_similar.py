"""``deepgrade similar``: planted disguised copies rank first for their question, independent
solutions stay below the threshold, the template and short answers never count, and the outputs
(CSV, pages, the report's section) show what staff need and nothing a student can inject."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from deepgrade.project import Homework
from deepgrade.report import main as report_main
from deepgrade.similar import CSV_COLUMNS, analyse
from deepgrade.similar.answers import read_layout, split_answers
from deepgrade.similar.compare import MIN_ABOVE, MIN_SCORE, compare
from deepgrade.similar.fingerprint import MAX_CHARS, code_fingerprints, text_fingerprints
from deepgrade.similar.pages import marked
from deepgrade.store import GRADED, Cell, GradeStore, Person

from conftest import ROOT, run_cli
from similar_corpus import (
    Builder,
    LINE_SEARCH,
    LINE_SEARCH_COPY_HELPERS,
    LINE_SEARCH_COPY_MAIN,
    SOFTMAX,
    SOFTMAX_COPY,
    planted_class,
)

HW = Homework("hw1", ROOT)
HOSTILE = '<img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def planted():
    notebooks, copies = planted_class(ROOT)
    return analyse(read_layout(HW), notebooks), copies


def _overlap(a: str, b: str) -> float:
    fa, fb = set(code_fingerprints(a).spans), set(code_fingerprints(b).spans)
    return len(fa & fb) / min(len(fa), len(fb))


def test_renaming_reformatting_and_comments_change_no_fingerprint():
    original = SOFTMAX[3]
    disguised = '''def my_softmax(values):   # renamed, reformatted, commented
    """A docstring of its own."""
    arr = np.array(values,
                   dtype=float)
    peak = np.amax(arr, axis=-1)[..., None]; num = np.exp(arr - peak)
    # the denominator
    den = np.add.reduce(num,
                        axis=-1)[..., np.newaxis]
    return num / den
'''
    assert set(code_fingerprints(original).spans) == set(code_fingerprints(disguised).spans)
    # What a student calls a keyword argument of numpy is numpy's: it is not a renamable name.
    assert _overlap("y = np.sum(x, axis=0)", "y = np.sum(x, keepdims=0)") < 1


def test_reordered_functions_and_dead_code_keep_the_copy_alike():
    assert _overlap(LINE_SEARCH[5], LINE_SEARCH_COPY_MAIN + "\n" + LINE_SEARCH_COPY_HELPERS) > 0.7
    assert _overlap(SOFTMAX[3], SOFTMAX_COPY) > 0.8  # added dead code and prints
    assert _overlap(SOFTMAX[3], SOFTMAX[7]) < 0.3  # two independent solutions


def test_latex_written_another_way_is_the_same_text():
    a = text_fingerprints(r"so the gradient is $\frac{\partial L}{\partial \phi}$ for every "
                          r"weight at once, in one backward pass of the whole network")
    b = text_fingerprints(r"So the gradient is \(\dfrac{\partial L}{\partial\phi}\) for every "
                          r"weight at once, in one backward pass of the whole network")
    assert set(a.spans) == set(b.spans)


def test_code_tokenize_refuses_is_still_compared():
    broken = "def f(x:\n    return np.exp(x - np.max(x)) / np.sum(np.exp(x - np.max(x)))\n"
    assert len(code_fingerprints(broken).spans) > 5


def test_a_cell_the_parser_chokes_on_costs_only_its_own_notebook(planted):
    similarity, _ = planted
    notebooks, _ = planted_class(ROOT)
    hostile = [*notebooks["student_1"], Cell("code", "-" * 200_000 + "1", False),
               Cell("code", "x" + ".y" * 100_000, False)]
    result = analyse(read_layout(HW), {**notebooks, "student_1": hostile})
    assert {(p.question, p.a, p.b) for p in result.flagged} == {
        (p.question, p.a, p.b) for p in similarity.flagged}


def test_planted_copies_rank_first_and_independent_solutions_stay_below(planted):
    similarity, copies = planted
    for question, pairs in copies.items():
        cohort = similarity.cohort(question)
        top = [(p.a, p.b) for p in cohort.ranked[:len(pairs)]]
        assert sorted(top) == sorted(pairs), (question, cohort.ranked[:4])
        assert all(p.score >= MIN_SCORE and p.above >= MIN_ABOVE
                   for p in cohort.ranked[:len(pairs)])
    planted_pairs = {(q, a, b) for q, pairs in copies.items() for a, b in pairs}
    flagged = {(p.question, p.a, p.b) for p in similarity.flagged}
    assert flagged == planted_pairs
    independent = [p for c in similarity.cohorts for p in c.ranked
                   if (p.question, p.a, p.b) not in planted_pairs]
    assert max(p.score for p in independent) < MIN_SCORE


def test_the_template_and_what_everybody_writes_are_not_evidence(planted):
    similarity, _ = planted
    # Every student kept the reference's log_softmax: all of it is the class's usual code.
    cohort = similarity.cohort("log_softmax")
    assert cohort.ranked == [] and "nothing of their own" in cohort.note
    # Two untouched templates share everything the template has, which counts for nothing.
    layout = read_layout(HW)
    template = [Cell(c.cell_type, c.source, c.metadata.get("editable") is False)
                for c in Builder(HW).template.cells]
    assert "softmax" in split_answers(template, layout)  # the stub is its answer...
    result = analyse(layout, {"a": template, "b": list(template)})
    assert result.flagged == [] and all(c.compared == [] for c in result.cohorts)  # ...minus it


def test_an_answer_too_short_to_tell_is_not_flagged():
    long_ones = {f"s{i}": code_fingerprints(s) for i, s in enumerate(SOFTMAX)}
    one_liner = "def l2_coefficient(lr, decay):\n    return decay / (2.0 * lr)\n"
    answers = {**long_ones, "x": code_fingerprints(one_liner), "y": code_fingerprints(one_liner)}
    cohort = compare("weight_decay", "code", answers, set())
    assert cohort.too_short == ["x", "y"] and "too short" in cohort.note
    assert all({p.a, p.b}.isdisjoint({"x", "y"}) for p in cohort.ranked)


def test_no_cohort_no_flag():
    answers = {k: code_fingerprints(SOFTMAX[3]) for k in ("a", "b")}
    cohort = compare("softmax", "code", answers, set())
    assert cohort.flagged == [] and "no cohort" in cohort.note


def test_marks_are_escaped_and_a_huge_answer_is_cut():
    assert marked("<b>x</b> & y", [(0, 3)]) == "<mark>&lt;b&gt;</mark>x&lt;/b&gt; &amp; y"
    page = marked("x" * (MAX_CHARS + 10), [(0, 2), (MAX_CHARS + 1, MAX_CHARS + 5)])
    assert len(page) < MAX_CHARS + 100 and page.endswith("10 more characters not shown]")


def _store(folder, notebooks, names=None) -> None:
    with GradeStore.open(folder, "hw1", create=True) as store:
        store.set_meta("questions", [("softmax", 4.0)])
        store.add_submissions([(k, f"uploads/{k}.ipynb", [Person((names or {}).get(k, k))],
                                None) for k in notebooks])
        for key in notebooks:
            store.record(key, status=GRADED, bundle_hash="h", version="0",
                         notebook="hw1.ipynb", scores=[("softmax", 4.0, 4.0)], seconds=1.0,
                         work_seconds=0.5, messages=[], results={})
        store.record_cells(list(notebooks.items()))


def test_the_command_writes_the_csv_and_a_page_per_pair(tmp_path):
    notebooks, copies = planted_class(ROOT)
    names = {k: f"{k.title()} {HOSTILE}" for k in notebooks}
    _store(tmp_path, notebooks, names)
    result = run_cli("similar", "hw1", tmp_path)
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "similarity.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == CSV_COLUMNS
    above = [float(r["above_cohort"]) for r in rows]
    assert above == sorted(above, reverse=True)  # most alike first
    assert {(r["question"], r["submission_a"], r["submission_b"]) for r in rows} == {
        (q, a, b) for q, pairs in copies.items() for a, b in pairs}
    page = (tmp_path / "similarity.html").read_text()
    pairs = sorted((tmp_path / "similarity").glob("pair-*.html"))
    assert len(pairs) == 3  # copy_a ~ student_4, copy_b ~ student_3, copy_c ~ student_5
    first = next(p.read_text() for p in pairs if "copy_a and student_4" in p.read_text())
    assert first.count("<mark>") >= 3 and "Copy_A" in first  # softmax, line_search, notebook
    assert HOSTILE not in page + first and "&lt;img src=x" in first  # escaped, not markup
    hidden = run_cli("similar", "hw1", tmp_path, "--hide-names")
    assert hidden.returncode == 0, hidden.stderr
    shown = (tmp_path / "similarity.html").read_text() + "".join(
        p.read_text() for p in (tmp_path / "similarity").glob("pair-*.html"))
    assert "Copy_A" not in shown and "copy_a" in shown


def test_the_report_has_the_section_and_links_its_pages(tmp_path):
    notebooks, _ = planted_class(ROOT)
    _store(tmp_path / "out", notebooks)
    (tmp_path / "elsewhere").mkdir()
    page = report_main("hw1", tmp_path / "out", tmp_path / "elsewhere" / "report.html", hw=HW)
    html = page.read_text()
    assert 'id="similar"' in html and 'href="../out/similarity/pair-1.html"' in html
    assert (tmp_path / "out" / "similarity" / "pair-1.html").is_file()


def test_a_store_graded_before_cells_were_kept_says_so(tmp_path):
    with GradeStore.open(tmp_path, "hw1", create=True) as store:
        store.add_submission("old", "old.ipynb", [], None)
        store.record("old", status=GRADED, bundle_hash="h", version="0", notebook="hw1.ipynb",
                     scores=[], seconds=1.0, work_seconds=0.5, messages=[], results={})
    result = run_cli("similar", "hw1", tmp_path)
    assert result.returncode == 0
    assert "1 submission(s) were graded before deepgrade kept notebooks" in result.stderr
    assert "Not compared:" in (tmp_path / "similarity.html").read_text()


def test_errors_are_one_line(tmp_path):
    result = run_cli("similar", "hw1", tmp_path / "missing")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"deepgrade: error: {tmp_path / 'missing'}: no such folder; pass the --out folder of "
        "`deepgrade grade`"]
    GradeStore.open(tmp_path / "hw2", "hw2", create=True).close()
    result = run_cli("similar", "hw1", tmp_path / "hw2")
    assert result.returncode == 2 and "holds hw2 grades, not hw1" in result.stderr


def test_grading_keeps_the_notebook_cells_for_similar(tmp_path):
    template = tmp_path / "hw1.ipynb"
    shutil.copy(ROOT / "student" / "hw1" / "hw1.ipynb", template)
    result = run_cli("grade", "hw1", template, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    with GradeStore.open(tmp_path / "out", "hw1") as store:
        kept = store.cells()["hw1"]
    cells = json.loads(template.read_text())["cells"]
    assert [c.source for c in kept] == ["".join(c["source"]) for c in cells]
    assert kept[0].locked and kept[0].cell_type == "code"
    assert run_cli("similar", "hw1", tmp_path / "out").returncode == 0
    # A store graded before cells were kept gets them from --resume, nothing graded again.
    with GradeStore.open(tmp_path / "out", "hw1") as store:
        with store.conn:
            store.conn.execute("DELETE FROM notebooks")
        gradings = store.conn.execute("SELECT count(*) FROM gradings").fetchone()
    result = run_cli("grade", "hw1", template, "--out", tmp_path / "out", "--resume")
    assert result.returncode == 0, result.stderr
    with GradeStore.open(tmp_path / "out", "hw1") as store:
        assert [c.source for c in store.cells()["hw1"]] == [c.source for c in kept]
        assert store.conn.execute("SELECT count(*) FROM gradings").fetchone() == gradings
