"""Byte-stable outputs: notebooks with fixed cell ids and sorted keys, zips with fixed stamps."""

from __future__ import annotations

import zipfile
from pathlib import Path

import nbformat

ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def normalize_notebook(nb: nbformat.NotebookNode, homework: str) -> nbformat.NotebookNode:
    """Give cells ids derived from their position and drop execution timing metadata."""
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{homework}-{i:03d}"
        cell.metadata.pop("execution", None)
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def write_notebook(nb: nbformat.NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(nb)
    path.write_text(nbformat.writes(nb) + "\n")


def write_zip(path: Path, files: dict[str, bytes],
              executables: frozenset[str] = frozenset()) -> None:
    """Write ``files`` (name -> bytes) sorted, with one timestamp and fixed permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if name in executables else 0o644
            info.external_attr = (0o100000 | mode) << 16
            info.create_system = 3  # Unix, so the permissions above are honoured
            zf.writestr(info, files[name])
