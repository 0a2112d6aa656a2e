"""Finding the submissions to grade: notebooks, folders of them, zips, Gradescope exports.

A Gradescope "Download Submissions" export is a folder (or zip) holding
``submission_metadata.yml`` and one ``submission_<id>/`` folder per submission; the metadata
maps each folder to its submitters (``:submitters: [{":name", ":sid", ":email"}]``).
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from deepgrade.errors import UserError

METADATA = "submission_metadata.yml"


@dataclass(frozen=True)
class Submission:
    key: str  # unique name of its output folder
    notebook: Path | None  # None: the submission has no notebook at all
    student: dict[str, str] = field(default_factory=dict)  # name, sid, email when known


def pick_notebook(folder: Path, homework: str) -> Path | None:
    """``<hw>.ipynb`` when present, else the first notebook (checkpoints ignored)."""
    notebooks = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    for p in notebooks:
        if p.name == f"{homework}.ipynb":
            return p
    return notebooks[0] if notebooks else None


def _gradescope_export(root: Path, homework: str) -> list[Submission] | None:
    meta = next(iter(sorted(root.glob(METADATA))), None) or next(
        iter(sorted(root.glob(f"*/{METADATA}"))), None)
    if meta is None:
        return None
    try:
        data = yaml.safe_load(meta.read_text()) or {}
    except yaml.YAMLError as exc:
        raise UserError(f"{meta}: not valid YAML ({str(exc).splitlines()[0]})") from None
    found = []
    for key in sorted(data):
        record = data[key] or {}
        people = record.get(":submitters", []) or []
        student = {field_: "; ".join(str(p.get(f":{field_}", "")) for p in people)
                   for field_ in ("name", "sid", "email")}
        folder = meta.parent / str(key)
        found.append(Submission(str(key), pick_notebook(folder, homework) if folder.is_dir()
                                else None, student))
    return found


def _unique(key: str, taken: set[str]) -> str:
    base, n = key, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def discover(paths: tuple[Path, ...] | list[Path], homework: str,
             scratch: Path | None = None) -> list[Submission]:
    """Every submission named by ``paths``; zips are unpacked into ``scratch``."""
    found: list[Submission] = []
    taken: set[str] = set()
    for path in paths:
        if not path.exists():
            raise UserError(f"{path}: no such file or folder")
        if path.is_file() and zipfile.is_zipfile(path):
            target = Path(tempfile.mkdtemp(prefix="deepgrade-export-", dir=scratch))
            with zipfile.ZipFile(path) as zf:
                zf.extractall(target)
            path = target
        if path.is_dir():
            export = _gradescope_export(path, homework)
            if export is not None:
                found += [Submission(_unique(s.key, taken), s.notebook, s.student) for s in export]
                continue
            notebooks = sorted(p for p in path.rglob("*.ipynb")
                               if ".ipynb_checkpoints" not in p.parts)
            if not notebooks:
                raise UserError(f"{path}: no .ipynb notebooks in this folder")
            for nb in notebooks:
                key = nb.stem if nb.stem not in taken else f"{nb.parent.name}-{nb.stem}"
                found.append(Submission(_unique(key, taken), nb))
        elif path.suffix != ".ipynb":
            raise UserError(f"{path} is not a notebook (.ipynb); submit the notebook file")
        else:
            found.append(Submission(_unique(path.stem, taken), path))
    return found
