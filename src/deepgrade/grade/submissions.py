"""Finding the submissions to grade: notebooks, folders of them, uploads, Gradescope exports.

A Gradescope "Download Submissions" export is a folder (or zip) holding
``submission_metadata.yml`` and one ``submission_<id>/`` folder per submission; the metadata
maps each folder to its submitters (``:submitters: [{":name", ":sid", ":email"}]``) and its
time (``:created_at:``).

A submission's identity (its ``key``, the name of its folder under ``--out``) comes from the upload
it was found as, never from a name inside it: the export folder (``submission_102``, also when
that one folder is graded again on its own), or the notebook's path relative to the folder given.
A zip (whatever its name, ``hw1.ipynb`` included) that is not an export is one student's upload.
Keys are made safe: they never leave the output folder.
"""

from __future__ import annotations

import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from deepgrade.errors import UserError
from deepgrade.store import Person

METADATA = "submission_metadata.yml"


@dataclass(frozen=True)
class Upload:
    """One submission to grade: where it came from, who made it, which notebook is graded."""

    key: str  # unique, safe name of its output folder
    upload: str  # the upload as given (a file, an export folder)
    notebook: Path | None  # None: the upload holds no notebook at all
    people: list[Person] = field(default_factory=list)
    submitted_at: str | None = None  # ISO 8601 UTC
    notebook_label: str = ""  # the graded notebook, relative to the upload (for the gradebook)

    @property
    def student(self) -> dict[str, str]:
        """``name``, ``sid``, ``email`` of its people, a group's joined with "; " (for page
        headers); empty strings where the export says nothing."""
        return {f: "; ".join(getattr(p, f) for p in self.people if getattr(p, f))
                for f in ("name", "sid", "email")}


def list_notebooks(folder: Path) -> list[Path]:
    """The ``.ipynb`` files under ``folder``, sorted, Jupyter's checkpoints left out, and
    symlinks too (an upload's link could point at another student's notebook or a host file)."""
    return sorted(p for p in folder.rglob("*.ipynb") if p.is_file() and not p.is_symlink()
                  and ".ipynb_checkpoints" not in p.parts)


def pick_notebook(folder: Path, homework: str) -> Path | None:
    """``<hw>.ipynb`` when present, else the first notebook."""
    notebooks = list_notebooks(folder)
    for p in notebooks:
        if p.name == f"{homework}.ipynb":
            return p
    return notebooks[0] if notebooks else None


def safe_key(text: str) -> str:
    """A folder name that stays inside the output folder: no separators, no leading dots."""
    key = re.sub(r"[^A-Za-z0-9._-]+", "_", text).lstrip(".")
    return key[:120] or "submission"


def parse_created_at(value: object) -> str | None:
    """Gradescope's ``:created_at:`` (a YAML timestamp or ``2026-10-01 10:00:00 UTC``) as ISO
    8601 UTC; None when absent or unreadable."""
    if isinstance(value, datetime):
        when = value if value.tzinfo else value.replace(tzinfo=UTC)
    elif isinstance(value, str) and value.strip():
        text = re.sub(r"\s*(UTC|Z)$", "+00:00", value.strip())
        text = re.sub(r"(\.\d{6})\d+", r"\1", text)  # nanoseconds: Python reads microseconds
        text = re.sub(r" ([+-]\d\d:?\d\d)$", r"\1", text)
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            return None
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
    else:
        return None
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _read_metadata(meta: Path) -> dict:
    try:
        data = yaml.safe_load(meta.read_text()) or {}
    except yaml.YAMLError as exc:
        raise UserError(f"{meta}: not valid YAML ({str(exc).splitlines()[0]}); download the "
                        "export again") from None
    if not isinstance(data, dict):
        raise UserError(f"{meta}: expected one entry per submission folder")
    return data


def _people(record: dict) -> list[Person]:
    people = record.get(":submitters", []) or []
    return [Person(str(p.get(":name", "") or ""), str(p.get(":sid", "") or ""),
                   str(p.get(":email", "") or "")) for p in people if isinstance(p, dict)]


class _Finder:
    """Collects uploads with unique keys; zips are unpacked into ``scratch``."""

    def __init__(self, homework: str, scratch: Path | None) -> None:
        self.homework, self.scratch = homework, scratch
        self.found: list[Upload] = []
        self.taken: set[str] = set()

    def add(self, key: str, upload: Path, notebook: Path | None, people: list[Person] | None = None,
            submitted_at: str | None = None, base: Path | None = None, prefix: str = "") -> None:
        key, n = safe_key(key), 2
        base_key = key
        while key in self.taken:
            key, n = f"{base_key}-{n}", n + 1
        self.taken.add(key)
        label = ""
        if notebook is not None:
            notebook, label = self.unwrap(notebook, base or notebook.parent)
        self.found.append(Upload(key, str(upload), notebook, people or [], submitted_at,
                                 prefix + label))

    def unzip(self, archive: Path) -> Path:
        if self.scratch is not None:
            self.scratch.mkdir(parents=True, exist_ok=True)
        target = Path(tempfile.mkdtemp(prefix="deepgrade-upload-", dir=self.scratch))
        try:
            with zipfile.ZipFile(archive) as zf:
                for info in zf.infolist():  # members that would land outside are skipped
                    dest = (target / info.filename).resolve()
                    if dest.is_relative_to(target.resolve()):
                        zf.extract(info, target)
        except (zipfile.BadZipFile, OSError) as exc:
            raise UserError(f"{archive}: a damaged zip ({exc}); download it again") from None
        return target

    def unwrap(self, notebook: Path, base: Path) -> tuple[Path | None, str]:
        """A notebook that is really a zip (a renamed archive) is unpacked and its notebook
        graded; the label says which file that was, relative to the upload."""
        try:
            label = notebook.relative_to(base).as_posix()
        except ValueError:
            label = notebook.name
        if not zipfile.is_zipfile(notebook):
            return notebook, label
        unpacked = self.unzip(notebook)
        inner = pick_notebook(unpacked, self.homework)
        if inner is None:
            return None, f"{label} (a zip without a notebook)"
        return inner, f"{label} (a zip) / {inner.relative_to(unpacked).as_posix()}"


def _export_root(folder: Path) -> Path | None:
    """The metadata file of an export whose root is ``folder`` (or one level down)."""
    return next(iter(sorted(folder.glob(METADATA))), None) or next(
        iter(sorted(folder.glob(f"*/{METADATA}"))), None)


def _export(finder: _Finder, meta: Path, only: str | None = None) -> None:
    """Every folder of the export (or the one named ``only``): those the metadata names, those
    it does not (graded without names, with a warning), and names without a folder."""
    data = _read_metadata(meta)
    folders = {p.name for p in meta.parent.iterdir() if p.is_dir()}
    names = sorted(set(map(str, data)) | folders)
    missing = [n for n in names if n not in set(map(str, data))]
    for name in names:
        if only is not None and name != only:
            continue
        record = data.get(name, data.get(int(name) if name.isdigit() else name)) or {}
        folder = meta.parent / name
        if name in missing:
            print(f"deepgrade: warning: {folder} is not in {meta.name}; graded without names",
                  file=sys.stderr)
        notebook = pick_notebook(folder, finder.homework) if folder.is_dir() else None
        finder.add(name, folder, notebook, _people(record) if isinstance(record, dict) else [],
                   parse_created_at(record.get(":created_at"))
                   if isinstance(record, dict) else None, base=folder)


def discover(paths: tuple[Path, ...] | list[Path], homework: str,
             scratch: Path | None = None) -> list[Upload]:
    """Every submission named by ``paths``, in order."""
    finder = _Finder(homework, scratch)
    for path in paths:
        if not path.exists():
            raise UserError(f"{path}: no such file or folder")
        if path.is_file() and zipfile.is_zipfile(path):
            unpacked = finder.unzip(path)
            meta = _export_root(unpacked)
            if meta is not None:
                _export(finder, meta)
            else:  # one student's upload, whatever the name of the file inside
                finder.add(path.stem, path, pick_notebook(unpacked, homework), base=unpacked,
                           prefix=f"{path.name} (a zip) / ")
            continue
        if path.is_dir():
            meta = _export_root(path)
            parent_meta = path.parent / METADATA
            if meta is not None:
                _export(finder, meta)
            elif parent_meta.is_file() and path.name in map(str, _read_metadata(parent_meta)):
                _export(finder, parent_meta, only=path.name)  # one folder of an export, again
            else:
                notebooks = list_notebooks(path)
                if not notebooks:
                    raise UserError(f"{path}: no .ipynb notebooks in this folder")
                for nb in notebooks:
                    finder.add(nb.relative_to(path).with_suffix("").as_posix(), nb, nb, base=path)
        elif path.suffix != ".ipynb":
            raise UserError(f"{path} is not a notebook (.ipynb); submit the notebook file")
        elif (path.parent.parent / METADATA).is_file() and path.parent.name in map(
                str, _read_metadata(path.parent.parent / METADATA)):
            _export(finder, path.parent.parent / METADATA, only=path.parent.name)
        else:
            finder.add(path.stem, path, path, base=path.parent)
    return finder.found
