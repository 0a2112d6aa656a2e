"""What a student needs to run the notebook: a pinned ``requirements.txt`` (what the notebook and
the files beside it import, with everything those packages pull in, at the autograder's
versions), a ``README.md`` with the steps for a laptop, a JupyterHub and Colab, and one zip of the
whole folder for the course's LMS."""

from __future__ import annotations

import ast
import re
import sys
import textwrap
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import nbformat
from packaging.markers import default_environment
from packaging.requirements import Requirement

from deepgrade.assign.autograder import canonical, lock_pins
from deepgrade.assign.deterministic import write_zip
from deepgrade.errors import BuildError

REQUIREMENTS = "requirements.txt"
README = "README.md"
OTTER = "otter-grader"
# Always pinned: the kernel that runs the notebook (Jupyter, a hub, VS Code all need it) and
# what grader.check uses, whether or not a cell imports them by name.
ALWAYS = ("ipykernel", OTTER)
# Installers, not libraries: pip keeps the environment's own (torch asks for a recent setuptools).
_INSTALLERS = frozenset({"pip", "setuptools", "wheel"})
TORCH = lock_pins()["torch"]  # the grader's torch, installed first from the CPU index
_MAGIC = re.compile(r"^\s*[!%]")  # IPython shell and magic lines are not Python


def imported_modules(sources: Iterable[str]) -> set[str]:
    """Top-level module names that ``sources`` (Python, or notebook cells) import."""
    modules = set()
    for source in sources:
        code = "\n".join("" if _MAGIC.match(line) else line for line in source.splitlines())
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue  # a student cell with `...` placeholders in odd places: nothing to learn
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.add(node.module.split(".")[0])
    return modules


def _distributions(homework: str, modules: set[str], local: set[str]) -> set[str]:
    """The distributions providing ``modules`` in this (the build's pinned) environment."""
    providers = metadata.packages_distributions()
    found = set()
    for module in sorted(modules - local - set(sys.stdlib_module_names)):
        if module not in providers:
            raise BuildError(homework, f"the student notebook imports '{module}', which no "
                             "installed package provides", fix="remove the import, or add the "
                             "package to deepgrade's requirements.lock")
        found |= {canonical(d) for d in providers[module]}
    return found


def _closure(roots: set[str]) -> set[str]:
    """``roots`` and every distribution they require on this platform (extras followed)."""
    environment = {k: str(v) for k, v in default_environment().items()}
    seen: set[str] = set()
    stack: list[tuple[str, frozenset[str]]] = [(name, frozenset()) for name in sorted(roots)]
    expanded: set[tuple[str, frozenset[str]]] = set()
    while stack:
        name, extras = stack.pop()
        if (name, extras) in expanded or name in _INSTALLERS:
            continue
        expanded.add((name, extras))
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # not installed here: it is pinned as the lock has it, pip resolves below
        for line in requires:
            req = Requirement(line)
            wanted = any(req.marker.evaluate({**environment, "extra": e})
                         for e in (extras or {""})) if req.marker else True
            if wanted:
                stack.append((canonical(req.name), frozenset(req.extras)))
    return seen


def requirements_text(homework: str, sources: Iterable[str], local: set[str]) -> str:
    """The pinned ``requirements.txt`` of a student folder whose Python is ``sources``;
    ``local`` names the modules that sit beside the notebook (deepgrade_feedback, helpers)."""
    pins = lock_pins()
    roots = _distributions(homework, imported_modules(sources), local) | set(ALWAYS)
    missing = sorted(d for d in roots if d not in pins)
    if missing:
        raise BuildError(homework, f"the student notebook needs {', '.join(missing)}, which "
                         "the autograder does not install", fix="add it to requirements.lock "
                         "(and pyproject.toml), or stop importing it")
    lines = sorted((pins[d] for d in _closure(roots) if d in pins), key=str.lower)
    header = [f"# {homework}: what the notebook needs, at the autograder's versions (Python 3.11).",
              f"# Install {TORCH} (CPU) first, then this file; {README} says how on a laptop,",
              "# a JupyterHub and Colab."]
    return "\n".join([*header, *lines]) + "\n"


def readme_text(homework: str, title: str, files: list[str], apt: list[str]) -> str:
    """The student's steps to run ``homework``: on a laptop, on a JupyterHub, on Colab."""
    shown = title or homework
    data = colab_apt = ""
    if apt:
        colab_apt = f"\n!apt-get install -y -qq {' '.join(apt)}"
        names = " ".join(apt)
        data = (f"**Data.** This homework reads data from the Debian package(s) `{names}`. On "
                f"Debian or Ubuntu (and Colab): `sudo apt-get install {names}`.")
        if "dataset-fashion-mnist" in apt:
            data += (" Elsewhere (macOS, Windows), download the four Fashion-MNIST files "
                     "(`train-images-idx3-ubyte.gz`, `train-labels-idx1-ubyte.gz`, "
                     "`t10k-images-idx3-ubyte.gz`, `t10k-labels-idx1-ubyte.gz`) from "
                     "<https://github.com/zalandoresearch/fashion-mnist> into a folder and set "
                     "`FASHION_MNIST_DIR` to it before you start Jupyter. "
                     "`python fashion_mnist.py` says in one line whether they are found.")
        data = textwrap.fill(data.strip(), 96, break_on_hyphens=False,
                             break_long_words=False) + "\n\n"
    listing = "\n".join(f"- `{name}`" for name in files)
    return f"""# {shown}

Open `{homework}.ipynb` and run it from the top. Its first cell imports `otter` (the public
checks behind every `grader.check(...)`) and `deepgrade_feedback` (the file beside it, which
shortens their messages): both need the packages of `{REQUIREMENTS}`, installed as below, and
the notebook must stay in this folder, beside these files:

{listing}

The autograder runs Python 3.11 with the versions pinned in `{REQUIREMENTS}`; use the same and
what passes here passes there (the hidden tests check more). Submit `{homework}.ipynb` only.

{data}## On a laptop (Linux, macOS, Windows)

With Python 3.11, in this folder:

```
python3.11 -m venv .venv              # Windows: py -3.11 -m venv .venv
source .venv/bin/activate            # Windows: .venv\\Scripts\\activate
pip install {TORCH} --index-url https://download.pytorch.org/whl/cpu   # macOS: pip install {TORCH}
pip install -r {REQUIREMENTS} jupyterlab
jupyter lab {homework}.ipynb
```

torch comes first, from PyTorch's CPU index: the default Linux build brings several GB of CUDA
libraries that this homework never uses. VS Code works too: pick `.venv` as the kernel.

## On a JupyterHub

Upload `{homework}.zip` and, in the hub's terminal, unzip it and give the notebook a kernel of
its own (the hub's own Python and packages stay as they are):

```
unzip {homework}.zip && cd {homework}
python3.11 -m venv ~/{homework}-env
~/{homework}-env/bin/pip install {TORCH} --index-url https://download.pytorch.org/whl/cpu
~/{homework}-env/bin/pip install -r {REQUIREMENTS}
~/{homework}-env/bin/python -m ipykernel install --user --name {homework} \\
    --display-name "{homework} (Python 3.11)"
```

Then open `{homework}.ipynb` and choose the kernel "{homework} (Python 3.11)". If your course's
hub already has an environment with these versions, use it and skip the installs.

## On Colab

Colab has its own Python, torch (a CUDA build) and NumPy, and its notebook runs on them: do not
install `{REQUIREMENTS}` there (replacing torch, NumPy or the kernel downloads gigabytes, needs a
restart of the runtime and can break Colab itself). Install only the checks' package, at the
autograder's version, and put the files beside the notebook. Upload `{homework}.zip` (the
folder icon on the left), then add a cell at the top and run it:

```
!pip install -q {lock_pins()[OTTER]}{colab_apt}
!unzip -q -o {homework}.zip
%cd {homework}
```

Colab's versions differ from the autograder's: the homework uses only what both have, but if a
check behaves differently on Colab, run the notebook on a laptop or the hub as above before you
trust it. Delete that cell before you submit.
"""


def student_zip(folder: Path, homework: str) -> Path:
    """``<hw>.zip`` of the student folder (everything in it, under ``<hw>/``), for the LMS:
    byte-reproducible like every other output of the build."""
    path = folder / f"{homework}.zip"
    files = {f"{homework}/{p.relative_to(folder).as_posix()}": p.read_bytes()
             for p in sorted(folder.rglob("*")) if p.is_file() and p != path}
    write_zip(path, files)
    return path


def notebook_sources(path: Path) -> list[str]:
    """The code cells of a notebook."""
    nb = nbformat.read(path, as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def write_student_env(homework: str, title: str, apt: list[str], folder: Path,
                      local: set[str]) -> list[Path]:
    """Write ``requirements.txt``, ``README.md`` and ``<hw>.zip`` into the student ``folder``
    (already holding the notebook, its tests and the files beside it)."""
    sources = notebook_sources(folder / f"{homework}.ipynb")
    sources += [p.read_text() for p in sorted(folder.rglob("*.py")) if "tests" not in
                p.relative_to(folder).parts]
    (folder / REQUIREMENTS).write_text(requirements_text(homework, sources, local))
    files = sorted({p.relative_to(folder).parts[0] + ("/" if p.parent != folder else "")
                    for p in folder.rglob("*") if p.is_file() and p.name != f"{homework}.zip"}
                   | {README})
    (folder / README).write_text(readme_text(homework, title, files, apt))
    return [folder / REQUIREMENTS, folder / README, student_zip(folder, homework)]
