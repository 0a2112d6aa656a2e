"""``deepgrade written``: the written answers of a class -> one PDF, a fixed page per question.

Every submission takes the same pages, in the gradebook's order: page k of each submission's
``pages_per_submission`` pages is written question k. The instructor uploads ``written.pdf`` to
a Gradescope exam-style assignment and splits it by that page count (docs/written.md).
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

from deepgrade.errors import UserError
from deepgrade.grade.messages import one_line
from deepgrade.grade.submissions import discover
from deepgrade.project import Homework
from deepgrade.words import counted
from deepgrade.written.answers import read_answers, read_template
from deepgrade.written.questions import pages_per_submission, written_questions
from deepgrade.written.render import page_html

BATCH = 8  # submissions printed together


def write_written_pdfs(hw: Homework, paths: list[Path] | tuple[Path, ...], out: Path,
                       jobs: int = 2, progress: bool = True) -> tuple[Path, int]:
    """Write ``out/written.pdf`` and ``out/<submission>/written.pdf``; returns the class PDF's
    path and the number of submissions in it."""
    from pypdf import PdfReader, PdfWriter

    questions = written_questions(hw)
    if not questions:
        raise UserError(f"{hw.name} has no written questions (no 'manual: true' question in "
                        f"{hw.master})")
    template = read_template(hw, questions)
    per = pages_per_submission(questions)
    scratch = Path(tempfile.mkdtemp(prefix="deepgrade-written-"))
    try:
        submissions = discover(paths, hw.name, scratch)
        # Several submissions per print: one typesetting pass and one PDF (fonts embedded
        # once) for the lot, split afterwards; enough batches to keep every tab busy.
        size = max(1, min(BATCH, -(-len(submissions) // (2 * jobs))))
        batches = [submissions[i:i + size] for i in range(0, len(submissions), size)]

        # Answers printed as plain text: (submission, question) -> why. Filled while the
        # pages are made (over a bound) and as the browser reports failures.
        fell: dict[tuple[str, str], str] = {}
        read: dict[int, list] = {}  # batch -> its submissions' answers, read once

        def batch_answers(index: int) -> list:
            if index not in read:
                read[index] = [read_answers(sub.notebook, questions, template)
                               for sub in batches[index]]
            return read[index]

        def page(index: int, number: int, fallback: str = "") -> str:
            sub, answers = batches[index][number // per], batch_answers(index)[number // per]
            answer = answers[number % per]
            folder = sub.notebook.parent if sub.notebook else None
            markup, why = page_html(hw.name, sub.key, sub.student, answer, len(questions),
                                    folder, fallback)
            if why:
                fell[(sub.key, answer.question.name)] = why
            return markup

        def make_pages(index: int) -> list[str]:
            return [page(index, n) for n in range(per * len(batches[index]))]

        printed: dict[int, bytes] = {}
        pdfs: dict[str, bytes] = {}
        start = time.monotonic()

        def done(index: int, data: bytes, _fell: dict[int, str]) -> None:
            batch = batches[index]
            read.pop(index, None)
            reader = PdfReader(io.BytesIO(data))
            if len(reader.pages) != per * len(batch):
                # A shifted page would put every later student under the wrong question.
                raise RuntimeError(f"deepgrade bug: submissions {batch[0].key}..{batch[-1].key} "
                                   f"printed on {len(reader.pages)} pages instead of "
                                   f"{per * len(batch)}; please report it")
            for j, sub in enumerate(batch):
                writer = PdfWriter()
                for page in reader.pages[j * per:(j + 1) * per]:
                    writer.add_page(page)
                buffer = io.BytesIO()
                writer.write(buffer)
                pdfs[sub.key] = buffer.getvalue()
            printed[index] = data
            if progress and sys.stderr.isatty():
                print(f"\rwritten answers: {len(pdfs)}/{len(submissions)}", end="", file=sys.stderr,
                      flush=True)

        from deepgrade.written.browser import print_pdfs

        print_pdfs(len(batches), make_pages, lambda i, n, why: page(i, n, why), jobs, done)
        if progress and sys.stderr.isatty():
            print(file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    for sub in submissions:
        (out / sub.key).mkdir(parents=True, exist_ok=True)
        (out / sub.key / "written.pdf").write_bytes(pdfs[sub.key])
    writer = PdfWriter()
    for i in range(len(batches)):
        writer.append(io.BytesIO(printed[i]))
    target = out / "written.pdf"
    with target.open("wb") as f:
        writer.write(f)
    if progress:
        print(f"{counted(len(submissions), 'submission')}, {counted(per, 'page')} each "
              f"({counted(len(submissions) * per, 'page')}) in {time.monotonic() - start:.1f} s",
              file=sys.stderr)
    if fell:
        order = {sub.key: i for i, sub in enumerate(submissions)}
        listed = "; ".join(f"{one_line(key, 80)} {q} ({why})" for (key, q), why in
                           sorted(fell.items(), key=lambda kv: order.get(kv[0][0], 0)))
        print(f"{counted(len(fell), 'answer')} could not be typeset; printed as text on "
              f"their pages: {listed}", file=sys.stderr)
    return target, len(submissions)


def main(hw: Homework, paths: tuple[Path, ...], out: Path, jobs: int = 2) -> None:
    target, count = write_written_pdfs(hw, paths, out, jobs)
    questions = written_questions(hw)
    per = pages_per_submission(questions)
    pages = counted(per, "page")
    print(f"{target}: {counted(count, 'submission')} x {pages}; on Gradescope split it every "
          f"{pages} and give each question its page:")
    for q in questions:
        print(f"  page {q.page}: {q.name} ({counted(q.points, 'point')})")
    print(f"one PDF per submission: {out}/<submission>/written.pdf")
