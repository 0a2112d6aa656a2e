"""``deepgrade validate --details``: per mutant and alternate, which test cases failed and how
many points it lost, so an instructor can judge each test (one that catches every mutant, one
that catches none)."""

from __future__ import annotations

from deepgrade.assign.master import MasterSpec
from deepgrade.grade.runner import GradingReport
from deepgrade.validate.variants import Variant
from deepgrade.words import counted

HEADER = ("variant", "question", "verdict", "points lost", "failed tests (master cell)")


def variant_rows(spec: MasterSpec, variant: Variant, report: GradingReport
                 ) -> list[tuple[str, str, str, str, str]]:
    """One row per question the variant names (and, for an alternate, per other question it
    lost points on): its verdict, the points lost of the question's total, and the failing
    test cases as ``cell 11 (hidden test 2)``, named as the build names them."""
    rows = []
    for q in report.questions:
        named = q.name in variant.questions
        lost = q.max_score - q.score
        if not named and (variant.kind == "mutant" or lost <= 0):
            continue  # a mutant is judged on its question only
        tests = spec.question(q.name).tests
        failed = [f"cell {tests[i].cell} ({tests[i].label})" if i < len(tests) else c.case.name
                  for i, c in enumerate(q.cases) if not c.passed]
        if variant.kind == "mutant":
            verdict = "caught" if lost > 0 else "NOT CAUGHT"
        else:
            verdict = "passed" if lost <= 0 else "LOSES POINTS"
        rows.append((f"{variant.kind} {variant.name}", q.name, verdict,
                     f"{lost:g} of {counted(q.max_score, 'point')}", ", ".join(failed) or "-"))
    return rows
