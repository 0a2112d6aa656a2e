"""Batch grading as a TA uses it: a Gradescope export graded into a folder, one student fixed and
regraded into the same folder, the gradebook before and after, and the report in a real browser."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from deepgrade.grade import batch
from deepgrade.grade.runner import GradingReport

REFERENCE = ROOT / "solutions" / "hw1" / "hw1-solutions.ipynb"
TEMPLATE = ROOT / "student" / "hw1" / "hw1.ipynb"
OTHER_HOMEWORK = ROOT / "student" / "hw2" / "hw2.ipynb"

# folder: (submitters, what was uploaded, created_at)
EXPORT = {
    "submission_1": ([("Ada Lovelace", "1001")], "reference", "2026-10-08 20:00:00 UTC"),
    "submission_2": ([("Alan Turing", "1002"), ("Zoë Müller, Jr.", "1005")], "template",
                     "2026-10-08 21:00:00 UTC"),
    "submission_3": ([("Grace Hopper", "1003")], "pdf", "2026-10-08 22:00:00 UTC"),
    "submission_4": ([("Broken Notebook", "1004")], "broken", "2026-10-08 23:00:00 UTC"),
    # two days and a bit late: 2 started days past the grace period
    "submission_6": ([("Wrong Homework", "1006")], "hw2", "2026-10-10 23:59:00 UTC"),
    "submission_7": ([("Zip Renamed", "1007")], "zip", "2026-10-09 00:10:00 UTC"),
}
DUE = "2026-10-09T00:00:00+00:00"


def _upload(folder: Path, what: str) -> None:
    folder.mkdir(parents=True)
    if what == "reference":
        shutil.copy(REFERENCE, folder / "hw1.ipynb")
    elif what == "template":
        shutil.copy(TEMPLATE, folder / "hw1.ipynb")
        (folder / "scratch.ipynb").write_text("{}")  # a second notebook: hw1.ipynb is graded
    elif what == "pdf":
        (folder / "answers.pdf").write_bytes(b"%PDF-1.4")
    elif what == "broken":
        (folder / "hw1.ipynb").write_text("{ this is not json")
    elif what == "hw2":
        shutil.copy(OTHER_HOMEWORK, folder / "hw2.ipynb")
    elif what == "zip":  # a zip renamed hw1.ipynb, whose notebook has another name
        with zipfile.ZipFile(folder / "hw1.ipynb", "w") as zf:
            zf.write(REFERENCE, "work/hw.ipynb")


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    """A Gradescope "Download Submissions" export: metadata plus one folder per submission,
    and one folder the metadata does not name."""
    root = tmp_path_factory.mktemp("export") / "assignment_42_export"
    lines = []
    for key, (people, what, created) in EXPORT.items():
        _upload(root / key, what)
        lines += [f"{key}:", "  :submitters:"]
        for name, sid in people:
            lines += [f"  - :name: {name}", f"    :sid: '{sid}'", f"    :email: {sid}@uni.edu"]
        lines += [f"  :created_at: {created}"]
    (root / "submission_metadata.yml").write_text("\n".join(lines) + "\n")
    _upload(root / "submission_5", "pdf")  # not in the metadata
    return root


def _gradebook(out: Path) -> list[dict[str, str]]:
    with (out / "gradebook.csv").open() as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def graded(export, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    archive = export.parent / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(export.rglob("*")):
            zf.write(path, path.relative_to(export.parent))
    result = run_cli("grade", "hw1", archive, "--jobs", "2", "--out", out, "--due", DUE,
                     "--grace-minutes", "15", "--penalty-per-day", "0.1")
    return out, result


@pytest.fixture(scope="module")
def regraded(export, graded):
    """The TA fixes submission_2 (the group uploaded the template by mistake) and regrades that
    one folder into the same output folder, without repeating the late policy."""
    out, _ = graded
    before = _gradebook(out)
    shutil.copy(REFERENCE, export / "submission_2" / "hw1.ipynb")
    result = run_cli("grade", "hw1", export / "submission_2", "--out", out)
    return out, before, _gradebook(out), result


def test_every_folder_is_accounted_for_with_a_status(graded):
    out, result = graded
    assert result.returncode == 1, result.stderr  # one notebook was unreadable: said, not fatal
    assert "Traceback" not in result.stderr
    assert "submission_5 is not in submission_metadata.yml" in result.stderr
    assert "graded 3/3" in result.stderr  # the three notebooks that reach a kernel or a reader
    # ...and the other four are named, so that "3/3" of seven is not a mystery
    assert ("4 submissions of 7 not run: submission_2 (untouched template), submission_3 (no "
            "notebook), submission_5 (no notebook), submission_6 (wrong homework); grading 3"
            in result.stderr), result.stderr
    status = {r["submission"]: r["status"] for r in _gradebook(out)}
    assert status == {"submission_1": "graded", "submission_2": "untouched template",
                      "submission_3": "no notebook", "submission_4": "not a notebook",
                      "submission_5": "no notebook", "submission_6": "wrong homework",
                      "submission_7": "graded"}
    for key in status:
        assert (out / key / "results.json").is_file()
    pdf_only = json.loads((out / "submission_3" / "results.json").read_text())
    assert pdf_only["score"] == 0 and "no .ipynb notebook" in pdf_only["output"]
    assert "not hw1" in json.loads((out / "submission_6" / "results.json").read_text())["output"]


def test_gradebook_has_one_row_per_student_and_a_column_per_question(graded):
    out, _ = graded
    rows = _gradebook(out)
    by_name = {r["name"]: r for r in rows}
    assert [r["name"] for r in rows if r["submission"] == "submission_2"] == [
        "Alan Turing", "Zoë Müller, Jr."]  # a group: one row each, the group's scores
    ada = by_name["Ada Lovelace"]
    assert ada["sid"] == "1001" and ada["email"] == "1001@uni.edu" and ada["softmax"] == "4"
    assert ada["autograded"] == "56" and ada["total"] == "56" and ada["days_late"] == "0"
    # written questions of the master: a column each, empty until staff enter them
    written = [c for c in rows[0] if c.startswith("written_")]
    assert len(written) == 9 and all(ada[c] == "" for c in written)
    assert ada["max_total"] == "90"  # 56 autograded + 34 written
    zipped = by_name["Zip Renamed"]  # filed under its upload, graded from the zip's notebook
    assert zipped["submission"] == "submission_7" and zipped["total"] == "56"
    assert zipped["notebook"] == "hw1.ipynb (a zip) / work/hw.ipynb"
    assert zipped["days_late"] == "0"  # 10 minutes late, within the 15-minute grace
    late = by_name["Wrong Homework"]
    assert late["submitted_at"] == "2026-10-10T23:59:00+00:00"
    assert late["days_late"] == "2" and late["late_penalty"] == "20%"
    assert by_name["Broken Notebook"]["message"].startswith("hw1.ipynb is not a notebook")
    assert "question" in (out / "summary.txt").read_text()


def test_import_files_use_the_documented_headers(graded):
    out, _ = graded
    with (out / "gradescope-scores.csv").open() as f:
        gradescope = list(csv.reader(f))
    assert gradescope[0] == ["Name", "SID", "Email", "Total Score", "Max Points", "Status",
                             "Submission Time", "Lateness (H:M:S)"]
    assert ["Ada Lovelace", "1001", "1001@uni.edu", "56", "90"] == gradescope[1][:5]
    assert len(gradescope) == 1 + 7  # one row per student who has an identity (not submission_5)
    late = next(r for r in gradescope if r[0] == "Wrong Homework")
    assert late[6:] == ["2026-10-10T23:59:00+00:00", "47:59:00"]  # lateness past the due date
    with (out / "canvas-import.csv").open() as f:
        canvas = list(csv.reader(f))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "hw1"]
    assert canvas[1][0] == "Points Possible" and canvas[1][-1] == "90"
    assert len(canvas) == 2 + 7  # one row per student who has an identity (not submission_5)


def test_regrading_one_student_changes_their_rows_and_nothing_else(regraded):
    out, before, after, result = regraded
    assert result.returncode == 0, result.stderr
    assert "regraded submission_2 (Alan Turing; Zoë Müller, Jr.): 0 -> 56 of 56" in result.stdout
    assert len(after) == len(before)
    changed = [(b, a) for b, a in zip(before, after) if b != a]
    assert [a["name"] for _, a in changed] == ["Alan Turing", "Zoë Müller, Jr."]
    for b, a in changed:
        assert b["status"] == "untouched template" and a["status"] == "graded"
        assert b["total"] == "0" and a["total"] == "56" and a["softmax"] == "4"
        header = list(a)
        questions = header[header.index("late_penalty") + 1:header.index("autograded")]
        assert {k for k in a if a[k] != b[k]} <= {"status", "message", "graded_at",
                                                  "autograded", "total", *questions}
    # the late policy of the first run still applies to everyone else
    assert next(r for r in after if r["name"] == "Wrong Homework")["late_penalty"] == "20%"


def test_written_scores_merge_into_the_total(regraded, tmp_path):
    # on a copy: the module's other tests read the gradebook before any written score is in
    out = tmp_path / "out"
    shutil.copytree(regraded[0], out)
    scores = tmp_path / "written.csv"  # Gradescope's Download Grades of the written assignment
    scores.write_text(
        "First Name,Last Name,SID,Email,Total Score,Max Points,Status,"
        "1: Softmax derivative (4.0 pts),2: Gaussian prior (4.0 pts),3: Weight decay (4.0 pts),"
        "4: Convexity (4.0 pts),5: Reverse vs forward (3.0 pts),6: R operator (5.0 pts)\n"
        "Ada,Lovelace,1001,1001@uni.edu,20,24,Graded,4,3.5,4,4,2,2.5\n"
        "Alan,Turing,1002,1002@uni.edu,2,24,Graded,2,,,,,\n")
    result = run_cli("merge-written", "hw1", out, scores)
    assert result.returncode == 0, result.stderr
    rows = {r["name"]: r for r in _gradebook(out)}
    assert rows["Ada Lovelace"]["written_gaussian_prior"] == "3.5"
    assert rows["Ada Lovelace"]["written"] == "20" and rows["Ada Lovelace"]["total"] == "76"
    assert rows["Alan Turing"]["total"] == "58"  # 56 autograded + 2 written
    assert rows["Zoë Müller, Jr."]["total"] == "56"  # her written scores are not in yet
    bad = tmp_path / "bad.csv"
    bad.write_text("SID,1: Softmax derivative (4.0 pts)\n1001,9\n")
    result = run_cli("merge-written", "hw1", out, bad)
    assert result.returncode == 2 and "outside 0..4" in result.stderr
    assert "Traceback" not in result.stderr


def test_report_refuses_another_homework(regraded):
    out, *_ = regraded
    result = run_cli("report", "hw2", out)
    assert result.returncode == 2
    assert "holds hw1 grades, not hw2" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("grade", "hw2", OTHER_HOMEWORK, "--out", out)
    assert result.returncode == 2 and "holds hw1 grades" in result.stderr


def _open_report(page: Path, tmp_path: Path, check) -> tuple[list[str], list[str]]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is missing: `make test` installs it (scripts/system-deps.sh test)")
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        tab = browser.new_page(viewport={"width": 1200, "height": 900})
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.on("request", lambda r: requests.append(r.url))
        tab.goto(page.as_uri())
        check(tab)
        browser.close()
    return errors, requests


def _screenshot_has_content(tab, selector: str, path: Path) -> None:
    """The element is on screen with real content: a sizeable box whose pixels are not blank."""
    from PIL import Image

    element = tab.locator(selector)
    box = element.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 40, selector
    element.screenshot(path=str(path))
    colours = Image.open(path).convert("L").getcolors(maxcolors=1 << 16)
    assert colours is not None and len(colours) > 8, f"{selector} renders blank"


def test_report_loads_in_a_real_browser_and_shows_the_new_sections(regraded, tmp_path):
    out, *_ = regraded
    result = run_cli("report", "hw1", out)
    assert result.returncode == 0, result.stderr
    page = out / "report.html"

    def check(tab) -> None:
        for figure in ("#histogram svg", "#pass-rate svg", "#distributions svg"):
            box = tab.locator(figure).bounding_box()
            assert box and box["width"] > 200 and box["height"] > 100, figure
        assert tab.locator("#failures tr").count() == 1 + 11  # header + one row per question
        changed = tab.locator("#changed").inner_text()
        assert "submission_2" in changed and "0 → 56" in changed and "Alan Turing" in changed
        not_graded = tab.locator("#not-graded").inner_text()
        for status in ("no notebook", "not a notebook", "wrong homework"):
            assert status in not_graded
        overview = tab.locator("#overview").inner_text()
        assert "Over the 3 graded: median total 56 of 56" in overview  # zeros of unreadable
        assert "are graded by staff and are not in these figures yet" in overview, overview
        for section in ("#overview", "#distributions", "#changed", "#not-graded"):
            _screenshot_has_content(tab, section, tmp_path / f"{section[1:]}.png")
        tab.screenshot(path=str(tmp_path / "report.png"), full_page=True)

    errors, requests = _open_report(page, tmp_path, check)
    assert not errors
    assert requests == [page.as_uri()]  # self-contained: nothing else is fetched
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert "Ada Lovelace" in page.read_text()
    hidden = run_cli("report", "hw1", out, "--hide-names", "--out", tmp_path / "anonymous.html")
    assert hidden.returncode == 0
    text = (tmp_path / "anonymous.html").read_text()
    assert "Ada Lovelace" not in text and "Turing" not in text and "submission_1" in text


def test_the_grader_loads_torch_before_the_first_submission_is_timed(monkeypatch):
    """With one grader, the first hidden test used to import torch inside the first
    submission's test time (2.7 s against 0.01 s for the others), so the report's "slowest
    gradings" named the first submission of every run: the grader warms up first."""
    from deepgrade.grade import runner

    order: list[str] = []
    monkeypatch.setattr(runner, "trusted_globals", lambda *a, **k: order.append("warm-up"))
    monkeypatch.setattr(batch, "grade_one",
                        lambda bundle, path, name: order.append(f"grade {name}") or
                        GradingReport("hw1", name))
    batch.grade_many(None, [Path("a.ipynb"), Path("b.ipynb")], jobs=1)
    assert order == ["warm-up", "grade a.ipynb", "grade b.ipynb"]


def test_hostile_names_are_one_line_of_text_in_the_terminal_and_the_report(tmp_path):
    import re

    from hostile_corpus import PEOPLE

    from deepgrade.grade import _who
    from deepgrade.report import render
    from deepgrade.store import GRADED, GradeStore, Person

    bad = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
    with GradeStore.open(tmp_path, "hw1", create=True) as store:
        store.set_meta("questions", [("softmax", 4.0)])
        for i, (name, sid, email) in enumerate(PEOPLE):
            store.add_submission(f"s{i}", f"s{i}", [Person(name, sid, email)], None)
            store.record(f"s{i}", status=GRADED, bundle_hash="h", version="0", notebook="n",
                         scores=[("softmax", 1.0, 4.0)], seconds=1.0, work_seconds=0.5,
                         messages=[], results={})
        terminal = [_who(row.people) for row in store.rows()]
        page = render(store)
    assert not any(bad.search(t) for t in terminal)
    assert "Red Name" in terminal and "Right To Left" in terminal  # the name, without the codes
    assert max(map(len, terminal)) == 80 and "" in terminal  # 500 characters cut; no name
    assert not bad.search(page.replace("\n", " "))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
