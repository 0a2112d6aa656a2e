"""Written answers -> one PDF per class: fixed pages, headed pages, typeset math, kept layout."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, homeworks, run_cli
from hostile_corpus import ANSWERS, PEOPLE
from pypdf import PdfReader

from deepgrade.project import Homework
from deepgrade.written.answers import extract_answers, read_template
from deepgrade.written.render import answer_html
from deepgrade.written.questions import (
    grading_split,
    pages_per_submission,
    written_questions,
)
from deepgrade.written.scores import read_gradescope_scores

TEMPLATE = ROOT / "student" / "hw1" / "hw1.ipynb"
HW1 = Homework("hw1", ROOT)
QUESTIONS = written_questions(HW1)
PER = pages_per_submission(QUESTIONS)
LATEX = [(r"By the quotient rule, $\frac{\partial s_i}{\partial x_j} = s_i(\delta_{ij} - s_j)$, so"
         "\n\n$$J = \\operatorname{diag}(s) - s s^\\top.$$"),
         (r"The log-prior is $-\sum_j \phi_j^2 / (2\sigma_j^2)$ plus a constant; see the figure."
         "\n\n![prior](attachment:prior.png)"),
         r"A step on $\tilde L$ is $\phi - \alpha\nabla L - \lambda \phi$: the same update.",
         (r"$\operatorname{tr} H = 2I + 2\sum_i x_i^2 > 0$ and $\det H = 4 I \sum_i (x_i - \bar x)^2$;"
         "\n\nthe linked plot shows it: ![curve](curve.png)"),
         (r"One reverse pass costs $O(1)$ evaluations of $f$; forward mode needs $n$ of them. "
         "<script>document.title='pwned'</script>"),
         r"$\mathcal{R}_v\{fg\} = \mathcal{R}_v\{f\}\,g + f\,\mathcal{R}_v\{g\}$ by the product rule."]


def _png(color: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1.2), dpi=60)
    ax.plot([0, 1, 2], [0, 1, 4], color=color, linewidth=4)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _answer_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "markdown"
            and "otter_answer_cell" in c.metadata.get("tags", [])]


def _fill(answers: dict[int, str], *, extra: bool = False) -> nbformat.NotebookNode:
    """The student notebook with written answers k (0-based) replaced by ``answers[k]``."""
    nb = nbformat.read(TEMPLATE, as_version=4)
    cells = _answer_cells(nb)
    for k, text in answers.items():
        cells[k].source = text
    if extra:  # students add cells: before the written part, inside an answer, a code cell
        at = nb.cells.index(cells[2])
        nb.cells.insert(at + 1, nbformat.v4.new_code_cell("lam, alpha = 0.1, 0.01\nprint(lam / (2 * alpha))"))
        nb.cells[at + 1].outputs = [nbformat.v4.new_output("stream", text="5.0\n")]
        nb.cells.insert(at + 1, nbformat.v4.new_markdown_cell("A numerical check of the coefficient:"))
        nb.cells.insert(3, nbformat.v4.new_markdown_cell("My own notes, not an answer."))
        cells[1].attachments = {"prior.png": {"image/png": base64.b64encode(_png("red")).decode()}}
    return nb


LONG = "\n".join(f"Line {i}: $x_{{{i}}} = {i}^2$ and some words to make a long line of text."
                 for i in range(1, 301))
STUDENTS = {  # folder: (name, sid, answers)
    "submission_11": ("Ada Lovelace", "1001", dict(enumerate(LATEX))),
    "submission_12": ("Alan Turing", "1002", {0: "Half: $s_i(1 - s_i)$ on the diagonal.",
                                              1: "Half of the answers.", 2: "Done."}),
    "submission_13": ("Grace Hopper", "1003", {0: LONG, 1: "Short.", 2: "Short.", 3: "Short.",
                                               4: "Short.", 5: "Short."}),
}


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    """A Gradescope export zip of three students: all in LaTeX, half, a 300-line answer."""
    root = tmp_path_factory.mktemp("written") / "assignment_7_export"
    lines = []
    for key, (name, sid, answers) in STUDENTS.items():
        (root / key).mkdir(parents=True)
        nb = _fill(answers, extra=key == "submission_11")
        nbformat.write(nb, root / key / "hw1.ipynb")
        lines += [f"{key}:", "  :submitters:", f"  - :name: {name}", f"    :sid: '{sid}'",
                  f"    :email: {sid}@uni.edu"]
    (root / "submission_11" / "curve.png").write_bytes(_png("blue"))
    (root / "submission_metadata.yml").write_text("\n".join(lines) + "\n")
    archive = root.parent / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in root.rglob("*"):
            zf.write(path, path.relative_to(root.parent))
    return archive


@pytest.fixture(scope="module")
def printed(export, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("written-out")
    result = run_cli("written", "hw1", export, "--out", out, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def _texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def test_every_submission_takes_the_same_pages_headed_with_student_and_question(printed):
    pages = _texts(printed / "written.pdf")
    assert len(pages) == PER * len(STUDENTS) == 27
    for s, (name, sid, _answers) in enumerate(STUDENTS.values()):  # the gradebook's order
        for q in QUESTIONS:
            text = pages[s * PER + q.page - 1]
            assert name in text and f"SID {sid}" in text and f"{sid}@uni.edu" in text, text
            assert q.name in text and f"{q.points:g} points" in text and "hw1" in text
    for key in STUDENTS:
        assert len(PdfReader(printed / key / "written.pdf").pages) == PER


def test_latex_is_typeset_and_images_and_code_cells_are_on_their_page(printed):
    pages = _texts(printed / "written.pdf")[:PER]
    for text in pages:
        assert "$" not in text and "\\frac" not in text and "\\sum" not in text, text
    assert "A numerical check of the coefficient" in pages[2] and "print(lam" in pages[2]
    assert "5.0" in pages[2]  # the code cell's output
    assert "My own notes" not in "".join(pages)  # a cell outside every question stays out
    reader = PdfReader(printed / "written.pdf")
    assert len(reader.pages[1].images) == 1  # the pasted attachment
    assert len(reader.pages[3].images) == 1  # the image linked beside the notebook
    assert "<script>" in pages[4]  # raw HTML is shown as text, never run


def test_a_typeset_page_renders_to_an_image(printed, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: `make test` installs poppler-utils")
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1",
                    str(printed / "written.pdf"), str(tmp_path / "page")], check=True)
    [png] = tmp_path.glob("page*.png")
    import matplotlib.image

    pixels = matplotlib.image.imread(png)
    assert pixels.shape[:2] == (550, 425)  # US Letter at 50 dpi
    ink = (pixels[..., :3].mean(axis=2) < 0.5).mean()
    assert 0.005 < ink < 0.2  # text and formulas, neither a blank nor a black page


def test_missing_answers_keep_their_page(printed):
    pages = _texts(printed / "written.pdf")[PER:2 * PER]
    assert all("No answer" not in t for t in pages[:3])
    for text in pages[3:]:
        assert "No answer" in text and "left as handed out" in text and "Alan Turing" in text


def test_a_300_line_answer_is_shrunk_onto_its_page(printed):
    pages = _texts(printed / "written.pdf")[2 * PER:]
    assert "Line 1:" in pages[0] and "Line 300:" in pages[0] and "shrunk to" in pages[0]
    assert QUESTIONS[1].name in pages[1] and "Short." in pages[1]


def test_answers_are_found_when_students_add_move_or_delete_cells():
    template = read_template(HW1, QUESTIONS)
    nb = _fill({0: "first", 4: "fifth"})
    answer_cells = _answer_cells(nb)
    nb.cells.remove(answer_cells[1])  # the second answer cell deleted
    nb.cells.insert(nb.cells.index(answer_cells[4]), nbformat.v4.new_markdown_cell("fifth, part 0"))
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("<!-- BEGIN QUESTION --> pasted by mistake"))
    answers = extract_answers(nb, QUESTIONS, template)
    assert [a.question.name for a in answers] == [q.name for q in QUESTIONS]
    assert [c.source for c in answers[0].cells] == ["first"]
    assert answers[1].missing == "there is no answer cell under this question"
    assert answers[2].missing == "the answer cell was left as handed out"
    assert [c.source for c in answers[4].cells] == ["fifth, part 0", "fifth"]


def test_an_answer_that_types_the_markers_keeps_its_page():
    template = read_template(HW1, QUESTIONS)
    nb = _fill({0: ANSWERS["markers"], 1: "<!-- BEGIN QUESTION -->", 2: "third"})
    at = nb.cells.index(_answer_cells(nb)[2])  # a cell of its own that is only the marker
    nb.cells.insert(at, nbformat.v4.new_markdown_cell("<!-- END QUESTION -->"))
    answers = extract_answers(nb, QUESTIONS, template)
    assert [c.source for c in answers[0].cells] == [ANSWERS["markers"]]
    assert [c.source for c in answers[1].cells] == ["<!-- BEGIN QUESTION -->"]
    assert [c.source for c in answers[2].cells] == ["<!-- END QUESTION -->", "third"]
    # and the page shows the markers as the text the student typed
    assert "&lt;!-- END QUESTION --&gt;" in answer_html(answers[0], None)[0]


@pytest.mark.parametrize("hw", homeworks())
def test_every_homework_says_where_written_answers_go_and_on_which_page(hw):
    homework = Homework(hw, ROOT)
    questions = written_questions(homework)
    per = pages_per_submission(questions)
    read_template(homework, questions)  # the student notebook has each question's marker
    intro = nbformat.read(ROOT / "student" / hw / f"{hw}.ipynb", as_version=4).cells[1].source
    assert "Submitting this notebook is all you do" in " ".join(intro.split())
    written = sum(q.points for q in questions)
    assert f"{written:g} of the homework's" in intro
    text = (ROOT / "solutions" / hw / "written-answers.md").read_text()
    assert f"split `written.pdf` every {per} pages" in text
    for q in questions:
        section = text.split(f"## `{q.name}`", 1)[1]
        assert section.split("\n\n")[1] == f"Page {q.page} of each submission's {per} pages."


def test_gradescope_scores_are_read_per_student_and_question(tmp_path):
    csv_path = tmp_path / "scores.csv"
    head = ("First Name,Last Name,SID,Email,Sections,Total Score,Max Points,Status,Submission ID,"
            "Submission Time,Lateness (H:M:S),View Count,Submission Count,"
            f"1: {QUESTIONS[0].name} (4.0 pts),2.1: part a (2.0 pts),2.2: part b (2.0 pts),"
            "3: Weight decay (4.0 pts)")
    csv_path.write_text(head + "\nAda,Lovelace,1001,1001@uni.edu,,9.5,24.0,Graded,1,,0:00:00,1,1,"
                        "4.0,1.5,2.0,2.0\nAlan,Turing,,1002@uni.edu,,0,24.0,Missing,,,,,,,,,\n")
    scores = read_gradescope_scores(csv_path, QUESTIONS)
    ada = {QUESTIONS[0].name: 4.0, QUESTIONS[1].name: 3.5, QUESTIONS[2].name: 2.0}
    assert scores["1001"] == scores["1001@uni.edu"] == ada
    assert scores["1002@uni.edu"] == {}  # not graded is not zero


def test_results_sentence_says_which_points_are_written():
    sentence = grading_split("hw1", 56, sum(q.points for q in QUESTIONS))
    assert "90 points: 56 autograded" in sentence and "34 for written questions" in sentence


def test_written_errors_are_one_line(tmp_path):
    result = run_cli("written", "hw1", tmp_path / "nowhere.ipynb", "--out", tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert re.fullmatch(r"deepgrade: error: .*nowhere\.ipynb: no such file or folder\n",
                        result.stderr)


# -- hostile answers and metadata: every page, nothing a script made, no browser left ----------
FALLS_BACK = ("underbrace", "braces", "long_tex")  # over a bound: printed as their text


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess, str]:
    """An export of one student per hostile answer, and one per hostile name, printed."""
    import json
    import os
    import uuid

    root = tmp_path_factory.mktemp("hostile") / "export"
    meta = []
    people = PEOPLE + [("Plain", "2000", "p@uni.edu")] * (len(ANSWERS) - len(PEOPLE))
    for i, ((kind, text), (name, sid, email)) in enumerate(zip(ANSWERS.items(), people)):
        key = f"submission_{100 + i}"
        (root / key).mkdir(parents=True)
        nbformat.write(_fill({0: text, 1: f"Honest answer of {kind}: $x^2$."}),
                       root / key / "hw1.ipynb")
        meta += [f"{key}:", "  :submitters:", f"  - :name: {json.dumps(name)}",
                 f"    :sid: {json.dumps(sid)}", f"    :email: {json.dumps(email)}"]
    (root / "submission_metadata.yml").write_text("\n".join(meta) + "\n")
    out = root.parent / "out"
    mark = uuid.uuid4().hex
    result = subprocess.run([sys.executable, "-m", "deepgrade", "written", "hw1", str(root),
                             "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                            timeout=600, env={**os.environ, "DEEPGRADE_TEST_MARK": mark})
    return out, result, mark


def test_a_hostile_class_gets_every_page_with_each_bad_answer_as_its_text(hostile):
    out, result, _ = hostile
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    pages = _texts(out / "written.pdf")
    assert len(pages) == len(ANSWERS) * PER  # every page of every submission
    for i, kind in enumerate(ANSWERS):
        first, second = pages[i * PER], pages[i * PER + 1]
        assert f"Honest answer of {kind}" in second  # the next answer is untouched
        assert ("could not be typeset" in first) == (kind in FALLS_BACK), kind
        assert "No answer" not in first, kind
    by_kind = dict(zip(ANSWERS, pages[::PER]))
    assert "underbrace" in by_kind["underbrace"]  # the TeX as the student wrote it
    assert "END QUESTION" in by_kind["markers"] and "After the markers." in by_kind["markers"]
    assert "<script>" in by_kind["html"] and "onerror" in by_kind["html"]  # shown as text
    assert "[image not included: file:///etc/passwd]" in by_kind["file_image"]
    assert "root:" not in "".join(pages)  # nothing read from /etc/passwd
    summary = result.stderr.splitlines()[-1]
    assert summary.startswith("3 answers could not be typeset")
    assert "submission_100 written_softmax_derivative (a formula nested 400 deep" in summary


def test_hostile_names_are_plain_text_in_the_page_headers(hostile):
    out, result, _ = hostile
    # the second page of each submission: an honest answer under the student's header
    text = "\n".join(_texts(out / "written.pdf")[1::PER])
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text)
    assert "<script>alert(1)</script><b>bold</b>" in text  # markup as its text
    assert "Red" in text and "[31m" not in text  # the ANSI codes are gone, the name is not
    assert "RightToLeft" in text.replace(" ", "")
    assert "L" * 117 + "..." in text and "L" * 121 not in text  # 500 characters: cut
    assert "SID 1008" in text  # no name: the SID heads the page
    # nothing a student wrote reached the terminal as control characters
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", result.stdout + result.stderr)


def test_no_browser_process_outlives_the_command(hostile):
    _, _, mark = hostile
    left = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"DEEPGRADE_TEST_MARK={mark}".encode() in environ.read_bytes():
                left.append(environ.parent.name)
        except OSError:
            continue
    assert left == []


def test_an_answer_that_crashes_or_hangs_the_browser_costs_only_its_page(tmp_path, monkeypatch):
    from deepgrade.written import browser, render
    from deepgrade.written.classpdf import write_written_pdfs

    # Let the nested \underbrace bomb through the bounds, with short budgets: the browser
    # hangs or crashes on it, is restarted, and only that answer falls back to its text.
    monkeypatch.setattr(render, "MAX_TEX_DEPTH", 10**6)
    monkeypatch.setattr(browser, "DOCUMENT_SECONDS", 8.0)
    monkeypatch.setattr(browser, "PAGE_SECONDS", 0.5)
    monkeypatch.setattr(browser, "ANSWER_SECONDS", 8.0)
    for i, text in enumerate(["Fine $x^2$.", ANSWERS["underbrace"]]):
        (tmp_path / "in" / f"s{i}").mkdir(parents=True)
        nbformat.write(_fill({0: text, 1: "Second $\\alpha$."}),
                       tmp_path / "in" / f"s{i}" / "hw1.ipynb")
    target, count = write_written_pdfs(HW1, [tmp_path / "in"], tmp_path / "out", jobs=1,
                                       progress=False)
    pages = _texts(target)
    assert count == 2 and len(pages) == 2 * PER
    assert "could not be typeset: typesetting took more than" in pages[PER] or \
        "could not be typeset: Target crashed" in pages[PER]
    assert "could not be typeset" not in "".join(pages[:PER] + pages[PER + 1:])
    assert "Second" in pages[PER + 1]


def test_bombs_are_bounded_before_they_reach_the_browser():
    import struct
    import zlib

    from deepgrade.written.render import html_depth, image_pixels, markdown_html, tex_problem

    def png(width: int, height: int) -> bytes:  # a header is all the bound reads
        ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr
                + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)))

    assert image_pixels(png(30_000, 30_000)) == 900_000_000
    assert image_pixels(_png("red")) == 120 * 72
    bomb = {"bomb.png": {"image/png": base64.b64encode(png(30_000, 30_000)).decode()},
            "fine.png": {"image/png": base64.b64encode(_png("red")).decode()}}
    markup = markdown_html("![a](attachment:bomb.png) ![b](attachment:fine.png)", bomb)
    assert "[image not included: attachment:bomb.png]" in markup and markup.count("<img") == 1
    assert "nested 400 deep" in tex_problem(ANSWERS["underbrace"][1:-1])
    assert tex_problem(r"\frac{\partial s_i}{\partial x_j} = \left( s_i(\delta_{ij} - s_j) \right)"
                       ) == ""
    assert html_depth("<div><p><b>x</b><br></p></div>") == 3
    page = answer_html(_answer([ANSWERS["long_tex"]]), None)
    assert page[1] == "a formula of 120,001 characters (the limit is 10,000)"


def _answer(texts: list[str]):
    from deepgrade.written.answers import Answer

    return Answer(QUESTIONS[0], [nbformat.v4.new_markdown_cell(t) for t in texts])


def test_the_grader_says_which_written_answers_are_still_blank(tmp_path):
    # At every submission, before the deadline: a written answer left as handed out (or whose
    # cell was deleted) gets a line in results.json's output, naming the question as the
    # notebook does. Answered questions get none, and neither does the reference.
    from deepgrade.grade.bundle import Bundle
    from deepgrade.grade.results import to_gradescope
    from deepgrade.grade.runner import blank_written_answers, failed_report
    from deepgrade.grade.notebook import read_submission

    bundle = Bundle.load(ROOT / "autograder" / "hw1" / "hw1-autograder.zip")
    assert bundle.written_order == [q.name for q in QUESTIONS]
    nb = _fill({k: f"my answer {k}" for k in range(len(QUESTIONS)) if k not in (1, 7)})
    nb.cells.remove(_answer_cells(nb)[7])
    path = tmp_path / "hw1.ipynb"
    nbformat.write(nb, path)
    notes = blank_written_answers(bundle, read_submission(path, "hw1"))
    assert notes == [
        f"written question {QUESTIONS[1].label} ({QUESTIONS[1].name}) has no answer yet: the "
        "answer cell was left as handed out",
        f"written question {QUESTIONS[7].label} ({QUESTIONS[7].name}) has no answer yet: there "
        "is no answer cell under this question"]
    assert QUESTIONS[1].label == "Question 8.2"
    report = failed_report(bundle, path.name, "x")
    report.notes = notes
    assert "written question Question 8.2 (written_gaussian_prior) has no answer yet" in \
        to_gradescope(report)["output"]
    reference = read_submission(ROOT / "solutions" / "hw1" / "hw1-solutions.ipynb", "hw1")
    assert blank_written_answers(bundle, reference) == []
    template = read_submission(TEMPLATE, "hw1")
    assert len(blank_written_answers(bundle, template)) == len(QUESTIONS)


@pytest.mark.parametrize("hw", homeworks())
def test_every_question_shows_its_points_beside_it(hw):
    # The student notebook gives each question's points in its prompt ("_Points:_ 4"): the
    # autograded ones as the bundle scores them, the written ones as staff will.
    from deepgrade.grade.bundle import Bundle

    bundle = Bundle.load(ROOT / "autograder" / hw / f"{hw}-autograder.zip")
    shown = [float(p) for p in re.findall(
        r"_Points:_ ([0-9.]+)", (ROOT / "student" / hw / f"{hw}.ipynb").read_text())]
    expected = sorted([q.max_score for q in bundle.questions] + list(bundle.written.values()))
    assert sorted(shown) == expected, (shown, expected)
