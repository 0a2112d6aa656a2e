"""The written questions of a homework and where each one sits in the PDF.

A written question is an otter ``manual: true`` question of the master notebook. In the class
PDF every submission takes the same ``len(questions) * PAGES_PER_QUESTION`` pages, question
``number`` (1-based, in the master's order) on page ``page`` of each submission's pages, so
Gradescope can split the file by a fixed page count and the staff assign page ``page`` to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from deepgrade.project import Homework

PAGES_PER_QUESTION = 1  # one page each: long answers are shrunk to fit (see render.FIT_SCRIPT)


@dataclass(frozen=True)
class WrittenQuestion:
    name: str  # the otter question name, as in the master and in gradebook columns
    points: float
    number: int  # 1-based order among the homework's written questions
    label: str = ""  # how the notebook shows it ("Question 8.1"); empty when unknown

    @property
    def page(self) -> int:
        """First page (1-based) of this question within one submission's pages."""
        return (self.number - 1) * PAGES_PER_QUESTION + 1


def written_questions(hw: Homework) -> list[WrittenQuestion]:
    """The written (manual) questions of ``hw`` in the master's order, with their points.

    Reads ``assignments/<hw>/<hw>.ipynb``; a master that does not build raises the build's
    own error (a UserError naming the cell).
    """
    from deepgrade.assign.master import check_master, read_master

    spec = check_master(hw.name, read_master(hw.name, hw.master))
    return [WrittenQuestion(q.name, float(q.points or 0), number, prompt_label(q.prompt))
            for number, q in enumerate(spec.manual, start=1)]


def pages_per_submission(questions: list[WrittenQuestion]) -> int:
    """How many pages every submission takes in the class PDF (Gradescope's split size)."""
    return len(questions) * PAGES_PER_QUESTION


def prompt_label(prompt: list[str]) -> str:
    """How a question's prompt names it ("Question 8.1"), or "" when it does not."""
    import re

    for text in prompt:
        match = re.search(r"\*\*(Question\s+[\w.]+?)\.?(?:\s*\([^)]*\))?\.?\*\*", text)
        if match:
            return match.group(1)
    return ""


def grading_split(homework: str, autograded: float, written: float) -> str:
    """The sentence results.json's top-level output needs: what is autograded, what is not.

    >>> print(grading_split("hw1", 46, 24))  # doctest: +NORMALIZE_WHITESPACE
    hw1 has 70 points: 46 autograded (this score) and 24 for written questions, graded by the
    course staff from your notebook (their scores come separately).
    """
    return (f"{homework} has {autograded + written:g} points: {autograded:g} autograded (this "
            f"score) and {written:g} for written questions, graded by the course staff from "
            "your notebook (their scores come separately).")
