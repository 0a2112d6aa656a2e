"""Finding submissions: identity from the upload, never from a name inside it; keys that stay
inside the output folder; every folder of an export accounted for."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from deepgrade.errors import UserError
from deepgrade.grade.gradebook import result_path
from deepgrade.grade.submissions import discover, parse_created_at, safe_key

NOTEBOOK = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def _zip_notebook(path: Path, inner: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(inner, NOTEBOOK)


def test_zips_renamed_to_notebooks_keep_the_identity_of_their_upload(tmp_path):
    _zip_notebook(tmp_path / "alice" / "hw1.ipynb", "hw.ipynb")
    _zip_notebook(tmp_path / "bob" / "hw1.ipynb", "submission/hw.ipynb")
    found = discover([tmp_path / "alice" / "hw1.ipynb", tmp_path / "bob" / "hw1.ipynb"], "hw1",
                     tmp_path / "scratch")
    assert [u.key for u in found] == ["hw1", "hw1-2"]  # two uploads, two submissions
    assert [u.upload for u in found] == [str(tmp_path / "alice" / "hw1.ipynb"),
                                         str(tmp_path / "bob" / "hw1.ipynb")]
    assert all(u.notebook is not None and u.notebook.name == "hw.ipynb" for u in found)
    assert found[1].notebook_label == "hw1.ipynb (a zip) / submission/hw.ipynb"


def test_a_folder_of_uploads_is_keyed_by_relative_path(tmp_path):
    for who in ("alice", "bob"):
        (tmp_path / "class" / who).mkdir(parents=True)
        (tmp_path / "class" / who / "hw1.ipynb").write_text(NOTEBOOK)
    (tmp_path / "class" / "...ipynb").write_text(NOTEBOOK)
    found = discover([tmp_path / "class"], "hw1", tmp_path)
    assert [u.key for u in found] == ["submission", "alice_hw1", "bob_hw1"]


@pytest.mark.parametrize("name", ["..", ".", "../../etc", "a/../../b", "~root", ".hidden", ""])
def test_keys_never_leave_the_output_folder(tmp_path, name):
    key = safe_key(name)
    assert "/" not in key and not key.startswith(".") and key
    assert result_path(tmp_path, key).parent.parent == tmp_path
    with pytest.raises(UserError):
        result_path(tmp_path, "../outside")


def _export(root: Path) -> Path:
    for key in ("submission_1", "submission_2", "submission_9"):
        (root / key).mkdir(parents=True)
        (root / key / "hw1.ipynb").write_text(NOTEBOOK)
    (root / "submission_1" / "scratch.ipynb").write_text(NOTEBOOK)
    (root / "submission_metadata.yml").write_text(
        "submission_1:\n  :submitters:\n  - :name: Ada\n    :sid: '1'\n    :email: a@x\n"
        "  - :name: Alan\n    :sid: '2'\n    :email: b@x\n"
        "  :created_at: 2019-01-17 12:06:52.617960000 -08:00\n"
        "submission_2:\n  :submitters:\n  - :name: Grace\n    :sid: '3'\n"
        "submission_3:\n  :submitters:\n  - :name: Nobody Uploaded\n    :sid: '4'\n")
    return root


def test_every_export_folder_is_found_and_named(tmp_path, capsys):
    root = _export(tmp_path / "export")
    found = {u.key: u for u in discover([root], "hw1", tmp_path)}
    assert sorted(found) == ["submission_1", "submission_2", "submission_3", "submission_9"]
    assert [p.name for p in found["submission_1"].people] == ["Ada", "Alan"]  # a group
    assert found["submission_1"].notebook_label == "hw1.ipynb"  # <hw>.ipynb over scratch.ipynb
    assert found["submission_1"].submitted_at == "2019-01-17T20:06:52+00:00"
    assert found["submission_3"].notebook is None  # in the metadata, no folder: no notebook
    assert found["submission_9"].people == []  # a folder the metadata does not name...
    assert "submission_9 is not in submission_metadata.yml" in capsys.readouterr().err  # ...said


def test_one_export_folder_graded_again_keeps_its_identity(tmp_path):
    root = _export(tmp_path / "export")
    [again] = discover([root / "submission_1"], "hw1", tmp_path)
    assert again.key == "submission_1" and [p.sid for p in again.people] == ["1", "2"]
    [by_file] = discover([root / "submission_2" / "hw1.ipynb"], "hw1", tmp_path)
    assert by_file.key == "submission_2" and by_file.people[0].name == "Grace"


@pytest.mark.parametrize("value, expected", [
    ("2026-10-01 10:00:00 UTC", "2026-10-01T10:00:00+00:00"),
    ("2026-10-01 10:00:00.123456789 -07:00", "2026-10-01T17:00:00+00:00"),
    ("2026-10-01T10:00:00Z", "2026-10-01T10:00:00+00:00"),
    ("yesterday", None), (None, None),
])
def test_created_at_is_read_as_utc(value, expected):
    assert parse_created_at(value) == expected


def test_the_grading_guides_metadata_example_is_what_grading_reads(tmp_path):
    """Staff grading uploads collected elsewhere copy the layout of docs/grading.md: its
    submission_metadata.yml example, as written there, gives the names, sids, emails, the
    group and the submission times."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "grading.md").read_text()
    section = guide.split("## Uploads collected elsewhere", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    uploads = tmp_path / "uploads"
    for key in ("submission_1", "submission_2"):
        (uploads / key).mkdir(parents=True)
        (uploads / key / "hw1.ipynb").write_text(NOTEBOOK)
    (uploads / "submission_metadata.yml").write_text(example)
    found = {u.key: u for u in discover([uploads], "hw1", tmp_path / "scratch")}
    assert sorted(found) == ["submission_1", "submission_2"]
    ada, = found["submission_1"].people
    assert (ada.name, ada.sid, ada.email) == ("Ada Lovelace", "1001", "ada@uni.edu")
    assert [p.sid for p in found["submission_2"].people] == ["1002", "1003"]  # a group
    assert found["submission_1"].submitted_at == "2026-10-08T21:14:03+00:00"
    assert found["submission_2"].submitted_at == "2026-10-09T05:02:00+00:00"
