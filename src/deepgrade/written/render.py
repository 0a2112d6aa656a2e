"""Written answers -> HTML pages, one fixed-size page per question, for the browser to print.

Student text never becomes markup: raw HTML in markdown is escaped (it could run script in the
staff's browser), images are embedded only as data URIs made here (pasted attachments, or image
files beside the notebook, never outside its folder), and math is left as ``$...$`` text for
MathJax, which typesets it with its Safe extension (no links or JavaScript from TeX).
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

from deepgrade.words import counted
from deepgrade.written.answers import Answer
from deepgrade.written.questions import PAGES_PER_QUESTION

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}
MAX_IMAGE_BYTES = 8 * 2**20  # a larger "image" beside a notebook is not a pasted figure
MAX_TEXT_CHARS = 200_000  # per cell: beyond that nothing fits a page at a readable size

PAGE_CSS = """
@page { size: 8.5in 11in; margin: 0; }
html, body { margin: 0; padding: 0; }
body { font: 11pt/1.4 "DejaVu Serif", "Liberation Serif", serif; color: #111;
       font-variant-ligatures: none; }  /* "coefficient", not "coe\ufb00icient", in its text */
.page { width: 8.5in; height: 10.99in; box-sizing: border-box; padding: 0.45in 0.6in 0.4in;
        display: flex; flex-direction: column; overflow: hidden; position: relative; }
.page + .page { break-before: page; }
.head { font: 9.5pt/1.3 "DejaVu Sans", sans-serif; border-bottom: 1.5px solid #333;
        padding-bottom: 5px; margin-bottom: 10px; display: flex; justify-content: space-between;
        gap: 12px; }
.head .q { font-weight: bold; font-size: 11pt; }
.head .who { text-align: right; }
.box { flex: 1; position: relative; overflow: hidden; min-height: 0; }
.fit { width: 100%; }
.fit.cols2 { column-count: 2; column-gap: 0.25in; column-rule: 1px solid #ccc; }
.fit.cols3 { column-count: 3; column-gap: 0.2in; column-rule: 1px solid #ccc; }
.fit p, .fit li { overflow-wrap: anywhere; }
.fit img { max-width: 100%; break-inside: avoid; }
.fit pre { white-space: pre-wrap; overflow-wrap: anywhere; font: 9pt/1.3 "DejaVu Sans Mono",
           monospace; background: #f4f4f4; padding: 4px 6px; margin: 6px 0; }
.fit pre.out { background: none; border-left: 3px solid #bbb; }
.fit .code-label { font: 8pt "DejaVu Sans", sans-serif; color: #666; margin-top: 8px; }
.fit table { border-collapse: collapse; }
.fit td, .fit th { border: 1px solid #aaa; padding: 2px 5px; }
.missing { margin-top: 2in; text-align: center; font: 16pt "DejaVu Sans", sans-serif;
           color: #666; }
.missing small { display: block; font-size: 11pt; margin-top: 8px; }
.foot { font: 8pt "DejaVu Sans", sans-serif; color: #555; border-top: 1px solid #bbb;
        padding-top: 3px; margin-top: 6px; display: flex; justify-content: space-between; }
.shrunk { color: #a40; }
"""


class _AnswerRenderer(IPythonRenderer):
    """nbconvert's markdown renderer with our own image policy (see the module docstring)."""

    def __init__(self, attachments: dict, folder: Path | None) -> None:
        super().__init__(escape=True, allow_harmful_protocols=False, exclude_anchor_links=True,
                         attachments=attachments)
        self.folder = folder

    # Math goes to MathJax as its own script elements (what its tex2jax pass would make): no
    # scan of the page for delimiters, and only what the Markdown parser saw as math is math.
    def inline_math(self, body: str) -> str:
        return f'<script type="math/tex">{_script_text(body)}</script>'

    def block_math(self, body: str) -> str:
        return f'<script type="math/tex; mode=display">{_script_text(body)}</script>'

    def latex_environment(self, name: str, body: str) -> str:
        tex = "\\begin{" + name + "}" + body + "\\end{" + name + "}"
        return f'<script type="math/tex; mode=display">{_script_text(tex)}</script>'

    def image(self, text: str, url: str, title: str | None = None) -> str:
        src = _image_source(url, self.attachments, self.folder)
        if src is None:
            return f'<span class="noimg">[image not included: {html.escape(url)}]</span>'
        return f'<img src="{src}" alt="{html.escape(text)}">'


_HTML_IMG = re.compile(r"""<img\s[^>]*?src\s*=\s*["']([^"']+)["'][^>]*>""", re.IGNORECASE)


def html_images_to_markdown(source: str) -> str:
    """``<img src="x.png" ...>`` -> ``![](x.png)``: raw HTML is escaped when rendering (it
    could run script in the staff's browser), but images written that way are common."""
    return _HTML_IMG.sub(lambda m: f"![]({m.group(1)})", source)


def _script_text(tex: str) -> str:
    """TeX as the text of a script element: only ``</`` could end it early (spaces are
    ignored in math mode, so ``< /`` typesets the same)."""
    return re.sub(r"</", "< /", tex)


def _image_source(url: str, attachments: dict, folder: Path | None) -> str | None:
    if url.startswith("attachment:"):
        bundle = attachments.get(url.removeprefix("attachment:"), {})
        for mime in ("image/svg+xml", "image/png", "image/jpeg", "image/gif"):
            if isinstance(bundle.get(mime), str):
                return f"data:{mime};base64,{''.join(bundle[mime].split())}"
        return None
    if folder is None or "://" in url or url.startswith(("data:", "/")):
        return None  # remote or absolute: rendering is offline and stays inside the submission
    path = (folder / url.split("?")[0]).resolve()
    file_mime = IMAGE_TYPES.get(path.suffix.lower())
    if (file_mime is None or not path.is_file() or not path.is_relative_to(folder.resolve())
            or path.stat().st_size > MAX_IMAGE_BYTES):
        return None
    return f"data:{file_mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def markdown_html(source: str, attachments: dict | None = None,
                  folder: Path | None = None) -> str:
    """Markdown of a cell -> HTML with its math left for MathJax and its images embedded."""
    renderer = _AnswerRenderer(attachments or {}, folder)
    return MarkdownWithMath(renderer=renderer).render(html_images_to_markdown(source))


def _outputs_html(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if out.get("output_type") == "stream":
            parts.append(f'<pre class="out">{html.escape(str(out.get("text", "")))}</pre>')
        elif out.get("output_type") == "error":
            parts.append(f'<pre class="out">{html.escape(out.get("ename", ""))}: '
                         f'{html.escape(str(out.get("evalue", "")))}</pre>')
        elif "image/png" in data or "image/jpeg" in data:
            mime = "image/png" if "image/png" in data else "image/jpeg"
            parts.append(f'<img src="data:{mime};base64,{"".join(str(data[mime]).split())}">')
        elif "text/plain" in data:
            parts.append(f'<pre class="out">{html.escape(str(data["text/plain"]))}</pre>')
    return "".join(parts)


def answer_html(answer: Answer, folder: Path | None) -> str:
    """The inside of a question's page: the student's cells, in order."""
    if answer.missing:
        return (f'<div class="missing">No answer.<small>{html.escape(answer.missing)}'
                "</small></div>")
    parts = []
    for cell in answer.cells:
        source = cell.source[:MAX_TEXT_CHARS]
        if cell.cell_type == "markdown":
            parts.append(markdown_html(source, cell.get("attachments"), folder))
        else:
            parts.append('<div class="code-label">code cell</div>'
                         f"<pre>{html.escape(source)}</pre>{_outputs_html(cell)}")
    return "".join(parts)


def student_line(student: dict[str, str], key: str) -> str:
    """``Name · SID 1001 · email`` from the export's metadata, else the submission's name."""
    bits = [student.get("name", ""), f"SID {student['sid']}" if student.get("sid") else "",
            student.get("email", "")]
    return " · ".join(b for b in bits if b) or key


def submission_html(homework: str, key: str, student: dict[str, str], answers: list[Answer],
                    folder: Path | None) -> str:
    """Every page of one submission: header, answer box (shrunk by the browser), footer."""
    who = html.escape(student_line(student, key))
    sub_line = f"<br>submission {html.escape(key)}" if who != html.escape(key) else ""
    pages, total = [], len(answers) * PAGES_PER_QUESTION
    for answer in answers:
        q = answer.question
        label = f"{q.label} · " if q.label else ""
        pages.append(
            f'<section class="page" data-question="{html.escape(q.name)}">'
            f'<div class="head"><div><span class="q">{html.escape(homework)} · {html.escape(label)}'
            f"{html.escape(q.name)}</span><br>{counted(q.points, 'point')} · written question "
            f"{q.number} of {len(answers)}</div>"
            f'<div class="who">{who}{sub_line}</div></div>'
            f'<div class="box"><div class="fit">{answer_html(answer, folder)}</div></div>'
            f'<div class="foot"><span>{html.escape(homework)} · {html.escape(q.name)} · '
            f"{who}</span><span class=\"scale\"></span><span>page {q.page} of "
            f"{total}</span></div></section>")
    return "".join(pages)
