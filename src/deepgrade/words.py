"""Words in messages people read: a count with its noun in the right number."""

from __future__ import annotations


def counted(number: float, noun: str, plural: str | None = None) -> str:
    """``number`` and ``noun``, plural unless the number is exactly 1: ``1 page``, ``2 pages``,
    ``0.5 points``, ``1 point`` (numbers as ``:g`` shows them)."""
    return f"{number:g} {noun if number == 1 else plural or noun + 's'}"
