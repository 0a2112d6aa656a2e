"""``deepgrade validate``: do the hidden tests tell right from wrong?

For each homework: the reference solution and every alternate must score full marks, every
mutant must lose points on the question it names, every trivial answer generated from the
reference (``trivial.py``: None, 0, zeros, ones, NaN, random values, the input echoed, an
untrained model) must score zero on each question, every equivalent answer (``equivalent.py``:
the reference returning lists, tuples, 0-d arrays, floats, arrays for tensors) must keep full
marks, the student template must score zero, and a second grading of the reference must give the
same result.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from deepgrade.assign.master import check_master, read_master
from deepgrade.errors import UserError
from deepgrade.grade.batch import grade_many
from deepgrade.grade.bundle import Bundle
from deepgrade.grade.gradebook import format_columns
from deepgrade.grade.results import to_gradescope
from deepgrade.grade.runner import GradingReport
from deepgrade.project import Homework
from deepgrade.validate.equivalent import FORMS, equivalent_notebook
from deepgrade.validate.trivial import (
    KINDS,
    Targets,
    kinds_for,
    question_targets,
    trivial_notebook,
    unfinished_problems,
)
from deepgrade.validate.variants import (
    Variant,
    check_replaces,
    format_details,
    master_names,
    read_variants,
    splice,
    variant_rows,
)
from deepgrade.words import counted


@dataclass
class Verdict:
    homework: str
    # per variant and question: variants.HEADER's columns (shown with --details)
    details: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # question, mutants caught, trivial answers caught, equivalent forms kept, alternates passed
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _lost_points(report: GradingReport, question: str) -> bool:
    q = report.by_name().get(question)
    return q is not None and q.score < q.max_score


def validate_homework(hw: Homework, jobs: int = 2) -> Verdict:
    bundle = Bundle.for_homework(hw)
    if not hw.reference.is_file():
        raise UserError(f"{hw.name}: no reference solution at {hw.reference}; run `deepgrade "
                        f"build {hw.name}` (without --no-execute) first")
    questions = [q.name for q in bundle.questions]
    mutants = read_variants(hw.mutants, "mutant")
    alternates = read_variants(hw.alternates, "alternate")
    verdict = Verdict(hw.name)
    reference = nbformat.read(hw.reference, as_version=4)
    names = master_names(reference)
    for v in [*mutants, *alternates]:
        unknown = [q for q in v.questions if q not in questions]
        if unknown:
            raise UserError(f"{v.path}: unknown question {unknown[0]!r}; expected one of "
                            f"{', '.join(questions)}")
        check_replaces(v, names, str(v.path.relative_to(hw.root)))
    targets = [t for t in question_targets(nbformat.read(hw.master, as_version=4))
               if t.question in questions]
    trivial_kinds = sorted({k for t in targets for k in kinds_for(t)}, key=KINDS.index)
    with tempfile.TemporaryDirectory(prefix=f"deepgrade-validate-{hw.name}-") as tmp:
        paths: list[Path] = []
        for label in ("reference", "reference-again"):
            paths.append(Path(tmp) / f"{label}.ipynb")
            nbformat.write(reference, paths[-1])
        paths.append(hw.student_notebook)
        variants: list[Variant] = [*mutants, *alternates]
        for v in variants:
            paths.append(Path(tmp) / f"{v.kind}-{v.name}.ipynb")
            nbformat.write(splice(reference, v), paths[-1])
        for kind in trivial_kinds:
            paths.append(Path(tmp) / f"trivial-{kind}.ipynb")
            nbformat.write(trivial_notebook(
                reference, kind, [t for t in targets if kind in kinds_for(t)]), paths[-1])
        for form in FORMS:
            paths.append(Path(tmp) / f"equivalent-{form}.ipynb")
            nbformat.write(equivalent_notebook(reference, form, targets), paths[-1])
        print(f"{hw.name}: grading the reference, the student template, "
              f"{counted(len(mutants), 'mutant')}, {counted(len(alternates), 'alternate')}, "
              f"{counted(len(trivial_kinds), 'trivial answer')} and "
              f"{counted(len(FORMS), 'equivalent form')}", file=sys.stderr, flush=True)
        reports = grade_many(bundle, paths, jobs=jobs, progress=sys.stderr.isatty())
    first, again, template = reports[0], reports[1], reports[2]
    rest = reports[3:3 + len(variants)]
    after = 3 + len(variants)
    trivial = dict(zip(trivial_kinds, reports[after:after + len(trivial_kinds)]))
    equivalent = dict(zip(FORMS, reports[after + len(trivial_kinds):]))
    if first.score < first.max_score:
        lost = [f"{q.name} ({q.score:g}/{q.max_score:g}: "
                f"{next((c.message for c in q.cases if not c.passed), '')})"
                for q in first.questions if q.score < q.max_score]
        cells = [f"cell {c.index} {c.message}" for c in first.cells if not c.ok]
        verdict.problems.append(f"the reference loses points on {'; '.join(lost)}"
                                + (f" [{'; '.join(cells)}]" if cells else ""))
    if _strip_time(to_gradescope(first)) != _strip_time(to_gradescope(again)):
        verdict.problems.append("grading the reference twice gave different results")
    if template.score != 0:
        earned = [q.name for q in template.questions if q.score > 0]
        verdict.problems.append(f"the unmodified student notebook earns points on {earned}")
    verdict.problems += unfinished_problems(template)
    by_variant = dict(zip(variants, rest))
    spec = check_master(hw.name, read_master(hw.name, hw.master))
    for v in variants:
        verdict.details += variant_rows(spec, v, by_variant[v])
    target_of = {t.question: t for t in targets}
    for question in questions:
        qm = [v for v in mutants if question in v.questions]
        qa = [v for v in alternates if question in v.questions]
        caught = [v for v in qm if _lost_points(by_variant[v], question)]
        passed = [v for v in qa if by_variant[v].score >= by_variant[v].max_score]
        target = target_of.get(question)
        earning = _trivial_earners(trivial, target, question)
        kinds = len(kinds_for(target)) if target else 0
        losing = _equivalent_losers(equivalent, question)
        verdict.rows.append((question, f"{len(caught)}/{len(qm)}",
                             f"{kinds - len(earning)}/{kinds}",
                             f"{len(FORMS) - len(losing)}/{len(FORMS)}",
                             f"{len(passed)}/{len(qa)}"))
        verdict.problems += earning + losing
        if not qm:
            verdict.problems.append(f"question '{question}' has no mutant: add "
                                    f"{hw.mutants.relative_to(hw.root)}/<name>.py with "
                                    f"'# question: {question}' (a realistic wrong answer)")
        for v in qm:
            if v not in caught:
                verdict.problems.append(f"mutant {v.name} ({v.description}) is not caught by "
                                        f"the tests of '{question}'")
        for v in qa:
            if v not in passed:
                r = by_variant[v]
                lost = [f"{q.name}: {next((c.message for c in q.cases if not c.passed), '')}"
                        for q in r.questions if q.score < q.max_score]
                verdict.problems.append(f"alternate {v.name} loses points ({'; '.join(lost)})")
    return verdict


def _trivial_earners(trivial: dict[str, GradingReport], target: Targets | None,
                     question: str) -> list[str]:
    """One problem per trivial answer that earns points on ``question``, naming the cases."""
    problems: list[str] = []
    if target is None:
        return problems
    for kind in kinds_for(target):
        q = trivial[kind].by_name().get(question)
        if q is None:
            continue
        passing = [c for c in q.cases if c.passed and c.case.points
                   and target.judged_by(kind, c.case.code)]
        if not passing:
            continue
        cases = [f"{'hidden' if c.case.hidden else 'public'} {c.case.name!r} "
                 f"({counted(c.case.points, 'point')})" for c in passing]
        advice = ("; a public test that a trivial answer passes must be worth 0 points or "
                  "check a value" if any(not c.case.hidden for c in passing) else "")
        earned = sum(c.case.points for c in passing)
        problems.append(f"the trivial answer {kind!r} earns {earned:g}/{q.max_score:g} on "
                        f"'{question}' (it passes {', '.join(cases)}){advice}")
    return problems


def _equivalent_losers(equivalent: dict[str, GradingReport], question: str) -> list[str]:
    """One problem per equivalent form of the reference that loses points on ``question``:
    a correct answer in a form the contract accepts, so the failing test is wrong."""
    problems = []
    for form, report in equivalent.items():
        q = report.by_name().get(question)
        if q is None or q.score >= q.max_score:
            continue
        failing = [c for c in q.cases if not c.passed]
        cases = "; ".join(f"{'hidden' if c.case.hidden else 'public'} {c.case.name!r}: "
                          f"{c.message}" for c in failing[:3])
        problems.append(f"the reference answering with {FORMS[form]} (form {form!r}) loses "
                        f"{q.max_score - q.score:g}/{q.max_score:g} on '{question}' ({cases}): "
                        "a test must convert what it receives (np.asarray) before it indexes "
                        "it or calls its methods")
    return problems


def _strip_time(results: dict) -> dict:
    return {k: v for k, v in results.items() if k not in ("execution_time", "extra_data")}


def format_verdict(verdict: Verdict) -> str:
    rows = [("question", "mutants caught", "trivial caught", "forms kept", "alternates passed"),
            *verdict.rows]
    lines = [f"{verdict.homework}: {'OK' if verdict.ok else 'FAILED'}",
             format_columns(rows, indent="  ")]
    lines += [f"  problem: {p}" for p in verdict.problems]
    return "\n".join(lines)


def main(homeworks: list[Homework], jobs: int = 2, details: bool = False) -> bool:
    ok = True
    for hw in homeworks:
        verdict = validate_homework(hw, jobs=jobs)
        print(format_verdict(verdict), flush=True)
        table = format_details(hw.name, verdict.details, details)
        if table:
            print(table, flush=True)
        ok &= verdict.ok
    return ok
