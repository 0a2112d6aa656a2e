"""Equivalent answers, generated for every question: the reference in every form the contract
accepts (arrays as nested lists or tuples, numbers as 0-d arrays or Python floats, tensors as
arrays), each of which must keep full marks. A test that indexes what it receives before it
converts it (``H[0, 0]`` on a list) fails one of them.

One notebook per form: the reference with every graded function and class of every question
rebound, right after the cell that defines it, to one answering in that form (the runtime is
``equivalent_runtime.py``; only the grader's calls see the new form).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from deepgrade.validate.trivial import Targets, rebind, runtime_cell

FORMS = {
    "lists": "arrays as nested lists",
    "tuples": "arrays as nested tuples",
    "0d": "numbers as 0-d arrays",
    "floats": "0-d arrays and NumPy scalars as Python floats",
    "arrays": "tensors as NumPy arrays",
}
RUNTIME = (Path(__file__).parent / "equivalent_runtime.py").read_text()


def equivalent_cell(form: str, name: str) -> str:
    """A cell rebinding ``name`` to the same answer in ``form`` (the runtime defined once)."""
    return runtime_cell(f"{name} answering with {FORMS[form]}", RUNTIME, "_deepgrade_equivalent",
                        "<deepgrade equivalent answers>", form, name)


def equivalent_notebook(reference: nbformat.NotebookNode, form: str,
                        targets: list[Targets]) -> nbformat.NotebookNode:
    """The reference with every graded definition of ``targets`` answering in ``form``."""
    names = [(t.question, name) for t in targets for name in t.definitions]
    return rebind(reference, names, lambda name: equivalent_cell(form, name),
                  f"equivalent answer {form}")
