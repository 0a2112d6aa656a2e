"""Batch grading: folders and Gradescope exports, a gradebook, and a report in a real browser."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

REFERENCE = ROOT / "solutions" / "hw1" / "hw1-solutions.ipynb"
TEMPLATE = ROOT / "student" / "hw1" / "hw1.ipynb"


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    """A Gradescope "Download Submissions" export: metadata plus one folder per submission."""
    root = tmp_path_factory.mktemp("export") / "assignment_42_export"
    people = {"submission_1": ("Ada Lovelace", "1001", REFERENCE),
              "submission_2": ("Alan Turing", "1002", TEMPLATE),
              "submission_3": ("Grace Hopper", "1003", None),  # uploaded a PDF only
              "submission_4": ("Broken Notebook", "1004", "broken")}
    lines = []
    for key, (name, sid, source) in people.items():
        folder = root / key
        folder.mkdir(parents=True)
        if source == "broken":
            (folder / "hw1.ipynb").write_text("{ this is not json")
        elif source is None:
            (folder / "answers.pdf").write_bytes(b"%PDF-1.4")
        else:
            shutil.copy(source, folder / "hw1.ipynb")
        lines += [f"{key}:", "  :submitters:", f"  - :name: {name}", f"    :sid: '{sid}'",
                  f"    :email: {sid}@uni.edu", "  :created_at: 2026-10-01 10:00:00 UTC"]
    (root / "submission_metadata.yml").write_text("\n".join(lines) + "\n")
    return root


@pytest.fixture(scope="module")
def graded(export, tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("out")
    archive = export.parent / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in export.rglob("*"):
            zf.write(path, path.relative_to(export.parent))
    result = run_cli("grade", "hw1", archive, "--jobs", "2", "--out", out)
    return out, result


def test_one_broken_submission_never_stops_the_batch(graded):
    out, result = graded
    assert result.returncode == 1, result.stderr  # one notebook was unreadable: said, not fatal
    assert "Traceback" not in result.stderr
    assert "graded 4/4" in result.stderr  # progress was shown
    for key in ("submission_1", "submission_2", "submission_3", "submission_4"):
        assert (out / key / "results.json").is_file()
    pdf_only = json.loads((out / "submission_3" / "results.json").read_text())
    assert pdf_only["score"] == 0 and "no .ipynb notebook" in pdf_only["output"]


def test_gradebook_has_one_row_per_student_and_a_column_per_question(graded):
    out, _ = graded
    with (out / "gradebook.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [r["name"] for r in rows] == ["Ada Lovelace", "Alan Turing", "Grace Hopper",
                                         "Broken Notebook"]
    assert rows[0]["sid"] == "1001" and rows[0]["email"] == "1001@uni.edu"
    assert rows[0]["total"] == rows[0]["max_total"] == "46"
    assert rows[1]["total"] == "0" and rows[0]["softmax"] == "4"
    assert "question" in (out / "summary.txt").read_text()


def test_report_loads_in_a_real_browser_and_shows_the_plots(graded, tmp_path):
    out, _ = graded
    result = run_cli("report", "hw1", out)
    assert result.returncode == 0, result.stderr
    page = out / "report.html"
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
        for figure in ("#histogram svg", "#pass-rate svg"):
            box = tab.locator(figure).bounding_box()
            assert box and box["width"] > 200 and box["height"] > 100, figure
        assert tab.locator("#failures tr").count() == 1 + 9  # header + one row per question
        assert "Ada Lovelace" not in tab.content()  # the report names submissions, not people
        tab.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        browser.close()
    assert not errors
    assert requests == [page.as_uri()]  # self-contained: nothing else is fetched
    assert (tmp_path / "report.png").stat().st_size > 10_000
