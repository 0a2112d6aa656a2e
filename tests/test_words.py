"""Counts in messages people read: "1 page", never "1 pages"."""

from __future__ import annotations

from deepgrade.words import counted


def test_a_count_takes_its_noun_in_the_right_number():
    assert counted(1, "page") == "1 page"
    assert counted(1.0, "point") == "1 point"
    assert counted(2, "page") == "2 pages"
    assert counted(0, "mutant") == "0 mutants"
    assert counted(0.5, "point") == "0.5 points"
    assert counted(3, "trivial answer") == "3 trivial answers"
    assert counted(2, "child", "children") == "2 children"
