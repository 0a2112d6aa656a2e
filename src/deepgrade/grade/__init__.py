"""``deepgrade grade``: grade submissions with the trusted runner into the output folder's grade
store; results.json, gradebook, import files and summary are written from the store.

Each submission's grading is recorded (and its results.json written) as soon as it is finished,
so a run that dies keeps what it did; ``--resume`` grades only what the bundle has not graded yet.
Grading into a folder that has grades adds or replaces the submissions graded, keeps every other,
and says, per regraded submission, the old and the new score.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import deepgrade
from deepgrade.errors import BuildError, UserError
from deepgrade.grade.batch import grade_many, is_grader_fault, no_notebook_report, start_zygote
from deepgrade.grade.bundle import Bundle
from deepgrade.grade.gradebook import (
    CANVAS_CSV,
    GRADESCOPE_CSV,
    LatePolicy,
    format_columns,
    record_policy,
    summary,
    write_results_file,
    write_views,
)
from deepgrade.grade.messages import one_line
from deepgrade.grade.notebook import assignment_name
from deepgrade.grade.results import to_gradescope
from deepgrade.grade.runner import GradingReport, failed_report
from deepgrade.grade.submissions import METADATA, Upload, discover
from deepgrade.project import Homework
from deepgrade.store import (
    GRADED,
    GRADER_FAULT,
    KERNEL_FAILED,
    NO_NOTEBOOK,
    NOT_A_NOTEBOOK,
    TEMPLATE,
    WRONG_HOMEWORK,
    Cell,
    GradeStore,
    Grading,
    Row,
)
from deepgrade.words import counted

TABLE_LIMIT = 40  # above this many submissions, print the summary instead of every row


def written_questions(hw: Homework) -> list[tuple[str, float]]:
    """The written (``manual: true``) questions of the master and their points, as the store
    records them."""
    from deepgrade.written.questions import written_questions as read_written

    try:
        return [(q.name, q.points) for q in read_written(hw)]
    except BuildError as exc:
        print(f"deepgrade: warning: no written questions in the gradebook ({exc})",
              file=sys.stderr)
        return []


def late_policy(hw: Homework, overrides: dict[str, Any] | None = None) -> LatePolicy:
    """homework.toml's ``[late]`` table, with command-line values (not None) on top."""
    settings = hw.late
    settings.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return LatePolicy.from_settings(settings, f"{hw.name} late policy")


def _late_overrides(store: GradeStore, given: dict[str, Any] | None) -> dict[str, Any]:
    """The command line's late-policy values of earlier runs into this folder, updated by this
    run's: regrading one student without repeating ``--due`` keeps the class's due date."""
    kept = dict(store.meta("late_overrides") or {})
    kept.update({k: v for k, v in (given or {}).items() if v is not None})
    store.set_meta("late_overrides", kept)
    return kept


def _read_json(path: Path) -> Any:
    """The notebook's JSON document, or None when it is not readable JSON (the runner then says
    why, as the student's report)."""
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _cells(doc: Any) -> list[Cell] | None:
    """Every cell of a notebook document, as the store keeps them (None: not a notebook)."""
    try:
        return [Cell(str(c["cell_type"]), "".join(map(str, c["source"]))
                     if isinstance(c["source"], list) else str(c["source"]),
                     _locked(c.get("metadata"))) for c in doc["cells"]]
    except (KeyError, TypeError, AttributeError):
        return None


def _locked(metadata: Any) -> bool:
    return isinstance(metadata, dict) and (metadata.get("editable") is False
                                           or metadata.get("deletable") is False)


def _code_cells(doc: Any) -> list[str] | None:
    """The stripped sources of a notebook document's code cells (None: not a notebook)."""
    cells = _cells(doc)
    return None if cells is None else [c.source.strip() for c in cells if c.cell_type == "code"]


@dataclass
class Prechecks:
    """What is decided before any kernel starts: no notebook, another homework, the template."""

    homework: str
    template: list[str] | None

    def verdict(self, bundle: Bundle, upload: Upload,
                doc: Any) -> tuple[str, GradingReport] | None:
        """``doc``: the upload's notebook document as ``_read_json`` read it."""
        if upload.notebook is None:
            return NO_NOTEBOOK, no_notebook_report(bundle, upload.key)
        other = assignment_name(doc.get("metadata")) if isinstance(doc, dict) else None
        if other and other != self.homework:
            return WRONG_HOMEWORK, failed_report(
                bundle, upload.notebook.name, f"this is the notebook of {other}, not "
                f"{self.homework}; submit {self.homework}.ipynb")
        if self.template is not None and _code_cells(doc) == self.template:
            return TEMPLATE, failed_report(
                bundle, upload.notebook.name, "the notebook is the unchanged template (no code "
                f"was written); submit the {self.homework}.ipynb you worked in")
        return None


def status_of(report: GradingReport) -> str:
    """How a report from the runner ended: graded, not a notebook, kernel failed, grader fault."""
    if is_grader_fault(report):
        return GRADER_FAULT
    if report.unreadable:
        return NOT_A_NOTEBOOK
    cases = [c for q in report.questions for c in q.cases]
    # The runner's zero-with-one-reason report (the kernel could not run the notebook at all):
    # no cell ran and every case carries the report's one note.
    if report.notes and not report.cells and cases and all(
            not c.passed and c.message == report.notes[-1] for c in cases):
        return KERNEL_FAILED
    return GRADED


class Recorder:
    """Records each finished report in the store and writes its results.json at once."""

    @staticmethod
    def messages(report: GradingReport) -> list[str]:
        """The notes the student read, and for a grader fault the reason staff need."""
        staff = [f"staff: {report.grader_fault}"] if report.grader_fault else []
        return list(report.notes) + staff

    def __init__(self, store: GradeStore, out: Path, bundle: Bundle, bundle_hash: str) -> None:
        self.store, self.out, self.bundle, self.hash = store, out, bundle, bundle_hash
        self.changes: list[tuple[str, Grading, Grading]] = []
        self.regraded = 0  # submissions that had a grading before this one

    def __call__(self, upload: Upload, report: GradingReport, status: str | None = None) -> Grading:
        status = status or status_of(report)
        results = to_gradescope(report, self.bundle.hidden_visibility)
        old = self.store.latest(upload.key)
        grading = self.store.record(
            upload.key, status=status, bundle_hash=self.hash, version=deepgrade.__version__,
            notebook=upload.notebook_label, scores=[(q.name, q.score, q.max_score)
                                                   for q in report.questions],
            seconds=report.seconds, work_seconds=report.timings.get("cells", 0.0)
            + report.timings.get("tests", 0.0), messages=self.messages(report), results=results)
        write_results_file(self.out, upload.key, results)
        self.regraded += old is not None
        if old is not None and (old.scores != grading.scores or old.status != grading.status):
            self.changes.append((upload.key, old, grading))
        return grading


def main(hw: Homework, paths: tuple[Path, ...], out: Path, jobs: int = 1,
         late: dict[str, Any] | None = None, resume: bool = False,
         cluster: str | None = None) -> None:
    """Grade ``paths`` into ``out``'s grade store, then write the folder's views from it;
    on this machine with ``jobs`` graders, or on the Dask scheduler at ``cluster``."""
    bundle = Bundle.for_homework(hw)
    bundle_hash = hashlib.sha256(hw.bundle.read_bytes()).hexdigest()[:16]
    late_policy(hw, late)  # a mistake in the policy is said before anything is graded
    # The kernels' zygote loads torch (about 2 s) while the submissions are read and recorded.
    zygotes = None if cluster else start_zygote(jobs)
    scratch = Path(tempfile.mkdtemp(prefix="deepgrade-grade-"))
    store: GradeStore | None = None
    try:
        uploads = discover(paths, hw.name, scratch)
        store = GradeStore.open(out, hw.name, create=True)
        store.set_meta("questions", [(q.name, q.max_score) for q in bundle.questions])
        store.set_meta("written_questions", written_questions(hw))
        record_policy(store, late_policy(hw, _late_overrides(store, late)))
        # Known before any grading: a killed run leaves them "not graded yet".
        store.add_submissions([(u.key, u.upload, u.people, u.submitted_at) for u in uploads])
        record = Recorder(store, out, bundle, bundle_hash)
        template = hw.out("student") / f"{hw.name}.ipynb"
        checks = Prechecks(hw.name, _code_cells(_read_json(template)) if template.is_file()
                           else None)
        queue: list[Upload] = []
        settled: list[str] = []  # decided without a kernel: "key (status)"
        skipped = 0
        kept: list[tuple[str, list[Cell]]] = []
        for u in uploads:
            # Read once: the homework, the template check and the cells kept for `similar`
            # come from it; kept for every upload, --resume's too, so a store graded before
            # cells were kept gets them from a --resume run.
            doc = _read_json(u.notebook) if u.notebook else None
            cells = _cells(doc)
            if cells is not None:
                kept.append((u.key, cells))
            done = store.latest(u.key) if resume else None
            if done and done.bundle_hash == bundle_hash and done.status != GRADER_FAULT:
                skipped += 1
                continue
            verdict = checks.verdict(bundle, u, doc)
            if verdict:
                record(u, verdict[1], verdict[0])
                settled.append(f"{u.key} ({verdict[0]})")
            else:
                queue.append(u)
        store.record_cells(kept)  # one transaction, before any kernel starts
        if skipped:
            print(f"--resume: {skipped} submission(s) already graded by this bundle are kept; "
                  f"{len(uploads) - skipped} to grade", file=sys.stderr)
        if settled:  # the progress line counts only what runs: say where the others went
            print(f"{counted(len(settled), 'submission')} of {len(uploads)} not run: "
                  f"{', '.join(settled[:5])}{', ...' if len(settled) > 5 else ''}; "
                  f"grading {len(queue)}", file=sys.stderr)
        notebooks, keys = [u.notebook for u in queue], [u.key for u in queue]
        if cluster:
            from deepgrade.grade import cluster as dask_cluster

            dask_cluster.grade_many(bundle, notebooks, cluster, progress=True, names=keys,
                                    on_report=lambda i, r: record(queue[i], r))
        else:
            grade_many(bundle, notebooks, jobs=jobs, progress=True, names=keys,
                       on_report=lambda i, r: record(queue[i], r), zygotes=zygotes)
    except BaseException:  # interrupted: what was graded reaches the gradebook too
        if store is not None:
            write_views(store, out, hw.name)
            store.close()
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    assert store is not None  # opened before anything could be graded
    write_views(store, out, hw.name)
    _print_outcome(store, uploads, record, out)
    unknown = identity_warning(store)
    if unknown:
        print(f"deepgrade: warning: {unknown}", file=sys.stderr)
    upload_keys = {u.key for u in uploads}
    faults = [r for r in store.rows() if r.key in upload_keys
              and r.status in (NOT_A_NOTEBOOK, GRADER_FAULT)]
    store.close()
    if faults:
        raise UserError(f"{len(faults)} submission(s) could not be graded "
                        f"({', '.join(_named(r) for r in faults[:5])}); they got 0 "
                        "with the reason in their results.json and gradebook.csv", status=1)


def identity_warning(store: GradeStore) -> str | None:
    """What the import files lack when submissions have no student (loose notebooks, folders
    the metadata does not name): they list students only, so those are left out."""
    rows = list(store.rows())
    nameless = [r.key for r in rows if not any(p.key for p in r.people)]
    if not nameless:
        return None
    how = (f"grade Gradescope's export, or put a {METADATA} naming each submission folder's "
           "students beside the folders (docs/grading.md, \"Uploads collected elsewhere\")")
    if len(nameless) == len(rows):
        return (f"{GRADESCOPE_CSV} and {CANVAS_CSV} have no rows: no student is known for any "
                f"of the {counted(len(rows), 'submission')} (loose notebooks); {how}")
    return (f"{counted(len(nameless), 'submission')} of {len(rows)} with no student known "
            f"({', '.join(nameless[:3])}{', ...' if len(nameless) > 3 else ''}) "
            f"{'is' if len(nameless) == 1 else 'are'} left out of {GRADESCOPE_CSV} and "
            f"{CANVAS_CSV}; {how}")


def _named(row: Row) -> str:
    """``submission_4 (hw1.ipynb): not a notebook``."""
    notebook = one_line(row.latest.notebook, 120) if row.latest else ""
    return f"{one_line(row.key, 120)}{f' ({notebook})' if notebook else ''}: {row.status}"


def _who(people: list) -> str:
    """The names of a submission's people for the terminal: each one printable line (a name is
    the student's choice: no escape codes, control or bidirectional characters), cut at 80."""
    return "; ".join(one_line(p.name, 80) for p in people if one_line(p.name, 80))


def _print_outcome(store: GradeStore, uploads: list[Upload], record: Recorder, out: Path) -> None:
    keys = {u.key for u in uploads}
    rows = [r for r in store.rows() if r.key in keys]
    if len(rows) <= TABLE_LIMIT:
        table = [["submission", "name", "status", "score"]]
        for r in rows:
            g = r.latest
            table.append([r.key, _who(r.people), r.status,
                          f"{g.score:g}/{g.max_score:g}" if g else "-"])
        print(format_columns(table))
    else:
        print(summary(store))
    for key, old, new in record.changes:
        people = next((_who(r.people) for r in rows if r.key == key), "")
        what = f"{old.score:g} -> {new.score:g} of {new.max_score:g}"
        if old.status != new.status:
            what += f" ({old.status} -> {new.status})"
        print(f"regraded {key}{f' ({people})' if people else ''}: {what}")
    if record.regraded:
        print(f"{record.regraded} submission(s) regraded: {len(record.changes)} changed, "
              f"{record.regraded - len(record.changes)} unchanged (history in {store.path.name})")
    graded = [r.latest for r in rows if r.latest and r.status == GRADED]
    layers = graded[0].results.get("extra_data", {}).get("layers") if graded else None
    print(f"sandbox layers: {', '.join(layers or ['(none)'])}")
    print(f"results, gradebook.csv and summary.txt written under {out} (store: "
          f"{store.path.name})")


def merge_written_main(hw: Homework, out: Path, scores_csv: Path) -> None:
    """``deepgrade merge-written``: record written scores, then rewrite the folder's views."""
    from deepgrade.store.written import merge_written
    from deepgrade.written.questions import WrittenQuestion

    with GradeStore.open(out, hw.name) as store:
        pairs = [tuple(q) for q in store.meta("written_questions") or []] or written_questions(hw)
        questions = [WrittenQuestion(str(n), float(p), i) for i, (n, p) in enumerate(pairs, 1)]
        merged = merge_written(store, scores_csv, questions)
        write_views(store, out, hw.name)
    print(f"{merged.scores} written score(s) of {merged.students} student(s) merged from "
          f"{scores_csv.name}; gradebook.csv rewritten under {out}")
    if merged.unknown:
        print(f"deepgrade: warning: {merged.unknown_scores} score(s) of {len(merged.unknown)} "
              f"student(s) of {scores_csv.name} are not in the gradebook: no submission here "
              f"({', '.join(merged.unknown[:5])}{', ...' if len(merged.unknown) > 5 else ''}); "
              "they are kept for when they have one", file=sys.stderr)
