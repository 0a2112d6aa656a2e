"""`deepgrade report`: the page's figures, from the grade store; once staff's written scores are
merged, its totals are the gradebook's."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from deepgrade.grade.gradebook import gradebook_csv
from deepgrade.report import render
from deepgrade.store import GRADED, GradeStore, Person

QUESTIONS = [("attention", 6.0), ("layer_norm", 5.0)]
WRITTEN = [("written_scaling", 2.0)]


def _store(folder: Path) -> GradeStore:
    """Two graded submissions of hw5: Ada 11 of 11 autograded, Alan 4 of 11."""
    store = GradeStore.open(folder, "hw5", create=True)
    store.set_meta("questions", QUESTIONS)
    store.set_meta("written_questions", WRITTEN)
    store.add_submissions([("submission_1", "s1", [Person("Ada", "1001", "ada@uni.edu")], None),
                           ("submission_2", "s2", [Person("Alan", "1002", "alan@uni.edu")], None)])
    for key, scores in (("submission_1", (6.0, 5.0)), ("submission_2", (4.0, 0.0))):
        store.record(key, status=GRADED, bundle_hash="h", version="0", notebook="hw5.ipynb",
                     scores=[(q, s, m) for (q, m), s in zip(QUESTIONS, scores)], seconds=1.0,
                     work_seconds=0.5, messages=[], results={"tests": []})
    return store


def _totals(store: GradeStore) -> dict[str, str]:
    return {r["submission"]: r["total"] for r in csv.DictReader(io.StringIO(gradebook_csv(store)))}


def _roster(page: str) -> dict[str, list[str]]:
    table = page.split('<table id="roster">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>(submission_\d)</td>(.*?)</tr>", table)
    return {key: re.findall(r"<td>(.*?)</td>", cells) for key, cells in rows}


def test_the_report_shows_merged_written_scores_and_the_gradebooks_totals(tmp_path):
    with _store(tmp_path) as store:
        before = render(store)
        assert "are not in these figures yet: `deepgrade merge-written` adds" in before
        assert "median total 7.5 of 11." in before
        store.record_written_many([("1001", "written_scaling", 2.0)], "written.csv")
        page = render(store)
        totals = _totals(store)
    assert totals == {"submission_1": "13", "submission_2": "4"}
    assert "not in these figures" not in page
    assert "median total 8.5 of 13." in page  # (13 + 4) / 2, of 11 + 2
    roster = _roster(page)
    # name, status, autograded, written, total: the total is the gradebook's
    assert roster["submission_1"] == ["Ada", "graded", "11", "2", totals["submission_1"]]
    assert roster["submission_2"] == ["Alan", "graded", "4", "0", totals["submission_2"]]
    assert "written_scaling (of 2)" in page  # its score distribution is drawn too
