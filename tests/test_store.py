"""The grade store: gradings recorded one by one and kept, a killed run resumed, a dying grader
costing only its own submission, lateness, written scores."""

from __future__ import annotations

import csv
import os
import re
import sqlite3
from pathlib import Path

import pytest

from deepgrade.errors import UserError
from deepgrade.grade import batch, runner
from deepgrade.grade.gradebook import LatePolicy, gradebook_csv, lines
from deepgrade.grade.runner import GradingReport, failed_report
from deepgrade.project import Homework
from deepgrade.store import GRADED, PENDING, GradeStore, Person
from deepgrade.written.questions import WrittenQuestion
from deepgrade.written.scores import column_map

from conftest import ROOT


def _record(store: GradeStore, key: str, score: float, status: str = GRADED) -> None:
    store.record(key, status=status, bundle_hash="h", version="0", notebook="hw1.ipynb",
                 scores=[("softmax", score, 4.0), ("mle", 1.0, 4.0)], seconds=1.0,
                 work_seconds=0.5, messages=[], results={"score": score + 1})


def test_a_grading_is_kept_with_its_history_and_people(tmp_path):
    with GradeStore.open(tmp_path, "hw1", create=True) as store:
        store.set_meta("questions", [("softmax", 4.0), ("mle", 4.0)])
        store.add_submission("s1", "export/s1", [Person("Ada", "1", "a@x"),
                                                 Person("Alan", "2", "b@x")], None)
        store.add_submission("s2", "export/s2", [Person("Grace", "3", "")], None)
        _record(store, "s1", 0.0)
        _record(store, "s1", 4.0)
    with GradeStore.open(tmp_path, "hw1") as store:  # reopened: everything is there
        rows = {r.key: r for r in store.rows()}
        assert rows["s1"].latest.score == 5.0 and rows["s1"].previous.score == 1.0
        assert rows["s1"].latest.scores == {"softmax": (4.0, 4.0), "mle": (1.0, 4.0)}
        assert rows["s2"].status == PENDING and rows["s2"].latest is None
        assert [line.person.name for line in lines(store)] == ["Ada", "Alan", "Grace"]
        assert "s2,Grace,3,,not graded yet" in gradebook_csv(store)


def test_a_failed_recording_leaves_nothing_half_written(tmp_path):
    with GradeStore.open(tmp_path, "hw1", create=True) as store:
        store.add_submission("s1", "s1", [], None)
        with pytest.raises(sqlite3.IntegrityError):  # the same question twice: scores refused
            store.record("s1", status=GRADED, bundle_hash="h", version="0", notebook="",
                         scores=[("q", 1.0, 1.0), ("q", 1.0, 1.0)], seconds=0, work_seconds=0,
                         messages=[], results={})
        assert store.latest("s1") is None  # the grading row went with its scores


def test_a_store_of_another_homework_is_refused(tmp_path):
    GradeStore.open(tmp_path, "hw2", create=True).close()
    with pytest.raises(UserError, match="holds hw2 grades, not hw1"):
        GradeStore.open(tmp_path, "hw1")
    with pytest.raises(UserError, match="no grade store"):
        GradeStore.open(tmp_path / "empty", "hw1")


def _fake_grade_many(log: list[str], die_after: int | None = None):
    """grade_many as the grade command calls it, without kernels: each notebook scores 0."""
    def fake(bundle, paths, jobs=1, progress=False, names=None, on_report=None, **_):
        for i, (path, name) in enumerate(zip(paths, names)):
            if die_after is not None and i == die_after:
                raise KeyboardInterrupt  # the run is killed here
            log.append(name)
            on_report(i, failed_report(bundle, name, "graded by the fake"))
        return []
    return fake


def test_a_killed_run_keeps_what_it_graded_and_a_resume_finishes_it(tmp_path, monkeypatch):
    import deepgrade.grade as grade

    uploads = tmp_path / "uploads"
    uploads.mkdir()
    for name in ("a", "b", "c"):
        (uploads / f"{name}.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4}')
    hw, out = Homework("hw1", ROOT), tmp_path / "out"
    log: list[str] = []
    monkeypatch.setattr(grade, "grade_many", _fake_grade_many(log, die_after=1))
    with pytest.raises(KeyboardInterrupt):
        grade.main(hw, (uploads,), out)
    assert (out / "a" / "results.json").is_file()  # written as soon as it was graded
    assert "not graded yet" in (out / "gradebook.csv").read_text()  # and the gradebook says so
    with GradeStore.open(out, "hw1") as store:
        assert {r.key: r.status for r in store.rows()} == {"a": "kernel failed",
                                                           "b": PENDING, "c": PENDING}
    log.clear()
    monkeypatch.setattr(grade, "grade_many", _fake_grade_many(log))
    grade.main(hw, (uploads,), out, resume=True)
    assert log == ["b", "c"]  # only what the killed run had not graded
    assert all((out / k / "results.json").is_file() for k in "abc")
    assert (out / "gradebook.csv").read_text().count("\n") == 4


def _grade_or_die(bundle, path: Path) -> GradingReport:
    if path.name == "die.ipynb":
        os._exit(9)  # the grader process dies (an OOM kill looks like this)
    return failed_report(bundle, path.name, "graded")


def test_a_grader_that_dies_costs_only_its_own_submission(monkeypatch, tmp_path):
    from deepgrade.grade.bundle import Bundle

    bundle = Bundle.for_homework(Homework("hw1", ROOT))
    monkeypatch.setattr(batch, "grade_submission", _grade_or_die)  # the forked graders see it
    names = ["a", "die", "b", "c", "d"]
    paths = [tmp_path / f"{n}.ipynb" for n in names]
    seen: list[int] = []
    reports = batch.grade_many(bundle, paths, jobs=2, names=names,
                               on_report=lambda i, r: seen.append(i))
    assert sorted(seen) == list(range(5))  # every submission reported, each once
    assert batch.is_grader_fault(reports[1]) and reports[1].notes[0].startswith(runner.NOT_GRADED)
    assert [r.notes for i, r in enumerate(reports) if i != 1] == [["graded"]] * 4


@pytest.mark.parametrize("submitted, days, penalty", [
    ("2026-10-08T23:59:00+00:00", 0, 0.0),  # on time
    ("2026-10-09T00:10:00+00:00", 0, 0.0),  # within the 15-minute grace
    ("2026-10-09T00:20:00+00:00", 1, 0.25),  # a started day
    ("2026-10-12T00:20:00+00:00", 4, 1.0),  # at most everything
    (None, 0, 0.0),  # no time in the export
])
def test_lateness_counts_started_days_after_the_grace(submitted, days, penalty):
    policy = LatePolicy.from_settings({"due": "2026-10-09 00:00", "grace_minutes": 15,
                                       "penalty_per_day": 0.25}, "test")
    assert policy.lateness(submitted) == (days, penalty)
    shown = LatePolicy.from_settings({"due": "2026-10-09 00:00", "grace_minutes": 15,
                                     "policy": "none"}, "test")
    assert shown.lateness(submitted) == (days, 0.0)


def test_late_policy_mistakes_are_user_errors():
    with pytest.raises(UserError, match="not a date"):
        LatePolicy.from_settings({"due": "next friday"}, "hw1 late policy")
    with pytest.raises(UserError, match="unknown late-policy key"):
        LatePolicy.from_settings({"deadline": "2026-10-09"}, "hw1 late policy")
    with pytest.raises(UserError, match="not a fraction"):
        LatePolicy.from_settings({"penalty_per_day": 10}, "hw1 late policy")


def test_written_columns_match_by_title_name_or_position():
    questions = [WrittenQuestion("written_convexity", 4.0, 1),
                 WrittenQuestion("written_r_operator", 5.0, 2)]
    # by title, whatever the order of the columns: "R operator" reads as written_r_operator
    assert column_map(["SID", "1: R operator (5.0 pts)", "2: Convexity (4.0 pts)"],
                      questions) == {"written_r_operator": ["1: R operator (5.0 pts)"],
                                     "written_convexity": ["2: Convexity (4.0 pts)"]}
    # by position where the titles say nothing
    assert column_map(["SID", "1: Proof (4.0 pts)", "2: Rules (5.0 pts)"], questions) == {
        "written_convexity": ["1: Proof (4.0 pts)"], "written_r_operator": ["2: Rules (5.0 pts)"]}
    assert column_map(["sid", "written_convexity"], questions) == {
        "written_convexity": ["written_convexity"]}
    assert column_map(["SID", "Total Score"], questions) == {}


def test_the_late_policy_comes_from_homework_toml_with_the_command_line_on_top(tmp_path):
    from deepgrade.grade import late_policy

    folder = tmp_path / "assignments" / "hw9"
    folder.mkdir(parents=True)
    (folder / "homework.toml").write_text(
        '[late]\ndue = 2026-10-08T23:59:00Z\ngrace_minutes = 15\npenalty_per_day = 0.1\n')
    hw = Homework("hw9", tmp_path)
    assert late_policy(hw) == LatePolicy("2026-10-08T23:59:00+00:00", 15.0, 0.1, "per_day")
    assert late_policy(hw, {"due": "2026-10-09 12:00", "grace_minutes": None}) == LatePolicy(
        "2026-10-09T12:00:00+00:00", 15.0, 0.1, "per_day")
    assert late_policy(hw, {"policy": "none"}).lateness("2026-10-12T00:00:00+00:00") == (3, 0.0)


def test_a_store_of_another_schema_is_refused(tmp_path):
    GradeStore.open(tmp_path, "hw1", create=True).close()
    with sqlite3.connect(tmp_path / "grades.sqlite") as conn:
        conn.execute("UPDATE meta SET value = '\"99\"' WHERE key = 'schema'")
    with pytest.raises(UserError, match="store schema 99"):
        GradeStore.open(tmp_path, "hw1")


def test_submissions_without_students_are_said_to_miss_the_import_files(tmp_path):
    from deepgrade.grade import identity_warning
    from deepgrade.grade.gradebook import canvas_csv, gradescope_csv

    with GradeStore.open(tmp_path, "hw1", create=True) as store:
        store.add_submissions([("hw1", "hw1.ipynb", [], None), ("s2", "s2.ipynb", [], None)])
        for key in ("hw1", "s2"):
            _record(store, key, 4.0)
        assert gradescope_csv(store).count("\n") == 1 and canvas_csv(store, "hw1").count("\n") == 2
        every = identity_warning(store)
        assert every and every.startswith(
            "gradescope-scores.csv and canvas-import.csv have no rows: no student is known for "
            "any of the 2 submissions (loose notebooks); grade Gradescope's export, or put a "
            "submission_metadata.yml naming each submission folder's students beside the folders")
        store.add_submissions([("hw1", "hw1.ipynb", [Person("Ada", "1001", "a@x")], None)])
        some = identity_warning(store)
        assert some and some.startswith("1 submission of 2 with no student known (s2) is left out "
                                        "of gradescope-scores.csv and canvas-import.csv; ")
        store.add_submissions([("s2", "s2.ipynb", [Person("Alan", "", "")], None)])
        assert identity_warning(store) is None


# -- merge-written against hostile or mistaken scores files -------------------------------------
WRITTEN = [("written_convexity", 4.0), ("written_r_operator", 5.0)]
HEADER = "Name,SID,Email,1: Convexity (4.0 pts),2: R operator (5.0 pts)\n"


def _written_store(folder: Path, people: bool = True) -> None:
    with GradeStore.open(folder, "hw1", create=True) as store:
        store.set_meta("questions", [("softmax", 4.0)])
        store.set_meta("written_questions", WRITTEN)
        if people:
            store.add_submission("submission_1", "s1", [Person("Ada", "1001", "ada@x")], None)
            store.add_submission("submission_2", "s2", [Person("Alan", "1002", "alan@x")], None)
        else:  # loose notebooks: no metadata, the PDF pages are headed with these names
            store.add_submission("bob_noscale", "bob_noscale.ipynb", [], None)
            store.add_submission("hw5-solutions", "hw5-solutions.ipynb", [], None)
        for key in ("submission_1", "submission_2") if people else ("bob_noscale",
                                                                    "hw5-solutions"):
            _record(store, key, 4.0)


@pytest.mark.parametrize("rows, message", [
    ("Ada,1001,ada@x,=1+3,2\n", "line 2, column '1: Convexity (4.0 pts)': '=1+3' is a formula"),
    ("Ada,1001,ada@x,@SUM(1),2\n", "line 2, column '1: Convexity (4.0 pts)': '@SUM(1)' is a "
                                   "formula"),
    ("Ada,1001,ada@x,3,+1+1\n", "line 2, column '2: R operator (5.0 pts)': '+1+1' is a formula"),
    ("Ada,1001,ada@x,three,2\n", "line 2, column '1: Convexity (4.0 pts)': 'three' is not a score"),
    ("Ada,1001,ada@x,1,2\nAlan,1002,alan@x,NaN,2\n", "line 3, column '1: Convexity (4.0 pts)': "
                                                      "'NaN' is not a score"),
    ("Ada,1001,ada@x,inf,2\n", "'inf' is not a score"),
    ("Ada,1001,ada@x,1_0,2\n", "'1_0' is not a score"),
    ("Ada,1001,ada@x,-1,2\n", "line 2, column '1: Convexity (4.0 pts)': -1 is outside 0..4"),
    ("Ada,1001,ada@x,1,2\nAda L.,1001,ada@x,4,5\n", "line 3: student '1001' is also on line 2"),
    ("Ada,,ada@x,1,2\nAda,1001,,4,5\n", "line 3: student '1001' is also on line 2"),
])
def test_a_hostile_scores_file_is_refused_naming_row_and_column_and_nothing_is_recorded(
        tmp_path, rows, message):
    from deepgrade.store.written import merge_written

    _written_store(tmp_path)
    scores = tmp_path / "scores.csv"
    scores.write_text(HEADER + rows)
    with GradeStore.open(tmp_path, "hw1") as store:
        with pytest.raises(UserError, match=re.escape(message)):
            merge_written(store, scores, [WrittenQuestion(n, p, i)
                                          for i, (n, p) in enumerate(WRITTEN, 1)])
        assert store.written() == {}


def test_the_scores_file_of_another_homework_is_refused(tmp_path):
    from deepgrade.store.written import merge_written

    _written_store(tmp_path)
    questions = [WrittenQuestion(n, p, i) for i, (n, p) in enumerate(WRITTEN, 1)]
    other_points = tmp_path / "hw2.csv"  # the same count of questions, other points
    other_points.write_text("SID,1: Backprop (3.0 pts),2: Chain rule (5.0 pts)\n1001,1,2\n")
    other_count = tmp_path / "hw3.csv"  # other titles and another count
    other_count.write_text("SID,1: Stride (4.0 pts),2: Padding (2.0 pts),3: Pooling (2.0 pts)\n"
                           "1001,1,2,1\n")
    nobody = tmp_path / "class.csv"  # none of its students is in this gradebook
    nobody.write_text(HEADER + "Zed,9999,zed@x,1,2\n")
    with GradeStore.open(tmp_path, "hw1") as store:
        with pytest.raises(UserError, match=r"column '1: Backprop \(3.0 pts\)': worth 3 points, "
                                            "but written question written_convexity is worth 4"):
            merge_written(store, other_points, questions)
        with pytest.raises(UserError, match="file has 3 numbered questions, not 2; is it the "
                                            "scores file of another homework"):
            merge_written(store, other_count, questions)
        with pytest.raises(UserError, match="none of its 1 student"):
            merge_written(store, nobody, questions)
        assert store.written() == {}


def test_loose_notebooks_are_matched_by_the_name_their_pages_show(tmp_path):
    from conftest import run_cli

    _written_store(tmp_path, people=False)
    scores = tmp_path / "scores.csv"
    scores.write_text(HEADER + "bob_noscale,,,3,4\nhw5-solutions,,,4,5\nnobody,,,1,1\n")
    result = run_cli("merge-written", "hw1", tmp_path, scores)
    assert result.returncode == 0, result.stderr
    assert "4 written score(s) of 2 student(s) merged" in result.stdout
    assert ("2 score(s) of 1 student(s) of scores.csv are not in the gradebook: no submission "
            "here (nobody)") in result.stderr
    rows = {r["submission"]: r for r in csv.DictReader((tmp_path / "gradebook.csv").open())}
    assert rows["bob_noscale"]["written"] == "7" and rows["bob_noscale"]["total"] == "12"
    assert rows["hw5-solutions"]["written_r_operator"] == "5"
