"""`deepgrade validate`: every homework's hidden tests catch its mutants and pass its alternates."""

from __future__ import annotations

import pytest

from conftest import ROOT, homeworks
from deepgrade.project import Homework
from deepgrade.validate import format_verdict, validate_homework
from deepgrade.validate.variants import read_variants


@pytest.mark.parametrize("hw", homeworks())
def test_validate(hw):
    verdict = validate_homework(Homework(hw, ROOT), jobs=2)
    assert verdict.ok, format_verdict(verdict)


@pytest.mark.parametrize("hw", homeworks())
def test_every_question_has_three_mutants_and_an_alternate(hw):
    from deepgrade.grade.bundle import Bundle

    questions = [q.name for q in Bundle.load(
        ROOT / "autograder" / hw / f"{hw}-autograder.zip").questions]
    folder = ROOT / "assignments" / hw
    mutants = read_variants(folder / "mutants", "mutant")
    alternates = read_variants(folder / "alternates", "alternate")
    for q in questions:
        assert sum(q in m.questions for m in mutants) >= 3, f"{hw}/{q}: fewer than 3 mutants"
        assert any(q in a.questions for a in alternates), f"{hw}/{q}: no alternate"
