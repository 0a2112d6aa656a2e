"""``deepgrade new HW``: a working master to start from, with every part a homework can have.

It writes ``assignments/<hw>/``: the master (one autograded question with a public and two
hidden tests using ``deepgrade.checks``, one written question with model answer and rubric),
``homework.toml`` with every key commented, one mutant and one alternate. It builds and
validates as written; docs/authoring.md explains each part.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from deepgrade.errors import UserError
from deepgrade.project import PER_QUESTION, SCHEMA, Homework

INTRO = """# {homework}: a first homework

This notebook was written by `deepgrade new`. Replace this text with your homework's
introduction: what the students will implement and how it is graded (public tests that you can
run with `grader.check`, hidden tests run by the autograder after you submit)."""

QUESTION_PROMPT = """**Question 1 (`relu`).** Write `relu(x)`, the rectified linear unit
$\\max(x, 0)$ applied entrywise to an array `x` of any shape, with NumPy only."""

SOLUTION = '''def relu(x):
    """ReLU entrywise. x: array of any shape. Returns a float64 array of the same shape."""
    # BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    return np.maximum(x, 0.0)
    # END SOLUTION'''

PUBLIC_TEST = '''""" # BEGIN TEST CONFIG
points: 1
""" # END TEST CONFIG
CASE = "relu at three points"
y = relu(np.array([-1.0, 0.0, 2.0]))
assert y is not None, "relu returned None: did you finish the function and `return`?"
assert np.shape(y) == (3,), "relu must keep the shape of its input"
assert np.allclose(y, [0.0, 0.0, 2.0]), "relu(x) is max(x, 0) entrywise"'''

HIDDEN_TEST = '''""" # BEGIN TEST CONFIG
hidden: true
points: 2
""" # END TEST CONFIG
CASE = "relu against torch, several shapes"
from deepgrade.checks import assert_close, seed_everything
# SUBMISSION_SEED (predefined in hidden tests) is drawn from the submission's code: every
# notebook gets inputs of its own, so an answer copied from a failure message fits no other.
rng = seed_everything(1 + SUBMISSION_SEED)
for shape in [(5,), (3, 4), (2, 3, 4)]:
    x = rng.normal(size=shape)
    expected = torch.relu(torch.tensor(x)).numpy()
    assert_close(relu(x), expected, f"relu(x) for x of shape {shape}")'''

HIDDEN_GRADIENT_TEST = '''""" # BEGIN TEST CONFIG
hidden: true
points: 1
""" # END TEST CONFIG
CASE = "relu of a nested list"
from deepgrade.checks import assert_close
x = np.array([[-2.0, 3.5], [0.25, -0.5]])
assert_close(relu(x.tolist()), np.maximum(x, 0), "relu of a nested Python list")'''

WRITTEN_PROMPT = """**Question 2 (written).** What is the derivative of ReLU, and what value
do deep-learning libraries use at $x = 0$, where it has none?"""

WRITTEN_ANSWER = """**Model answer.** $\\mathrm{relu}'(x) = 1$ for $x > 0$ and $0$ for $x < 0$; at
$x = 0$ the function has a corner and no derivative (any value in $[0, 1]$ is a subgradient).
Libraries use $0$ there (PyTorch's autograd does), which also keeps a unit that is exactly at
$0$ from moving.

**Rubric (2 points).** 1: both one-sided derivatives. 1: no derivative at 0, and the
convention 0 (or any subgradient in $[0, 1]$, with the reason)."""

MUTANT = """# question: relu
# mistake: returns the absolute value, so negative entries come back positive
def relu(x):
    return np.abs(np.asarray(x, dtype=np.float64))
"""

ALTERNATE = """# questions: relu
# idea: masks the negative entries instead of calling np.maximum
def relu(x):
    x = np.array(x, dtype=np.float64)
    x[x < 0] = 0.0
    return x
"""


def master_notebook(homework: str) -> nbformat.NotebookNode:
    """The starting master, cell by cell (docs/authoring.md walks through the same cells)."""
    raw, md, code = nbformat.v4.new_raw_cell, nbformat.v4.new_markdown_cell, \
        nbformat.v4.new_code_cell
    cells = [
        raw(f"# ASSIGNMENT CONFIG\nname: {homework}\ninit_cell: true\ncheck_all_cell: false\n"
            "export_cell: false\ntests:\n  files: true"),
        md(INTRO.format(homework=homework)),
        code("import math\n\nimport numpy as np\nimport torch"),
        raw("# BEGIN QUESTION\nname: relu\npoints: 4"),
        md(QUESTION_PROMPT),
        raw("# BEGIN SOLUTION"), code(SOLUTION), raw("# END SOLUTION"),
        raw("# BEGIN TESTS"), code(PUBLIC_TEST), code(HIDDEN_TEST), code(HIDDEN_GRADIENT_TEST),
        raw("# END TESTS"),
        raw("# END QUESTION"),
        raw("# BEGIN QUESTION\nname: written_relu_derivative\npoints: 2\nmanual: true"),
        md(WRITTEN_PROMPT),
        raw("# BEGIN SOLUTION"), md(WRITTEN_ANSWER), raw("# END SOLUTION"),
        raw("# END QUESTION"),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{homework}-master-{i:03d}"
    return nb


def settings_text(homework: str) -> str:
    """homework.toml with every key of project.SCHEMA, commented, at its default."""
    lines = [f"# Grading settings for {homework}: read by `deepgrade build` against a typed schema",
             "# (unknown keys, wrong types and impossible values stop the build) and shipped in",
             "# the autograder bundle. Every key is optional; the values shown are the defaults.",
             ""]
    for table, keys in SCHEMA.items():
        if table:
            lines += ["", f"[{table}]"]
        for key in keys:
            lines.append(f"# {key.doc}")
            if key.default is None:  # no default: show an example, commented out
                if key.example is not None:
                    lines.append(f"# {key.name} = {key.example}")
                continue
            value = _toml(key.default if key.name != "title" else f"{homework}: a first homework")
            lines.append(f"{key.name} = {value}")
    for dotted, doc in PER_QUESTION.items():
        lines += ["", f"# [{dotted}]: {doc}", f"# [{dotted}]", "# relu = 10"]
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def new_homework(hw: Homework) -> list[Path]:
    """Write the starting files of ``hw``; a UserError if its folder exists already."""
    if not hw.name.isidentifier():
        raise UserError(f"'{hw.name}' cannot name a homework: use letters, digits and _ "
                        "(it names the notebook and its otter assignment)")
    if hw.folder.exists():
        raise UserError(f"{hw.folder} exists already; choose another name or remove it")
    files = {
        hw.master: nbformat.writes(master_notebook(hw.name)) + "\n",
        hw.settings_file: settings_text(hw.name),
        hw.mutants / "relu_abs.py": MUTANT,
        hw.alternates / "relu_mask.py": ALTERNATE,
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return list(files)
