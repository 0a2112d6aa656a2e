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
from html.parser import HTMLParser
from pathlib import Path

from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

from deepgrade.grade.messages import one_line
from deepgrade.words import counted
from deepgrade.written.answers import Answer
from deepgrade.written.questions import PAGES_PER_QUESTION

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}
MAX_IMAGE_BYTES = 8 * 2**20  # a larger "image" beside a notebook is not a pasted figure
MAX_TEXT_CHARS = 200_000  # per cell: beyond that nothing fits a page at a readable size
# What reaches the browser is bounded, so that the common bombs never start; an answer over a
# bound is printed as plain text (``fallback_html``), as one the browser failed on is.
MAX_TEX_CHARS = 10_000  # one formula; a long derivation is well under 2,000
MAX_ANSWER_TEX_CHARS = 60_000  # all the math of one answer
MAX_TEX_DEPTH = 40  # braces, \left, \begin nested (each \underbrace{ is one); ~10 in real TeX
MAX_HTML_DEPTH = 120  # elements nested (quotes, lists); the page itself adds 4
MAX_IMAGE_PIXELS = 40_000_000  # decoded, 160 MB of RGBA: a 20,000 x 20,000 PNG is 1.6 GB

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
.fallback-note { font: bold 10pt "DejaVu Sans", sans-serif; color: #a40; margin-bottom: 6px; }
.fit pre.verbatim { background: none; padding: 0; }
"""


class _AnswerRenderer(IPythonRenderer):
    """nbconvert's markdown renderer with our own image policy (see the module docstring)."""

    def __init__(self, attachments: dict, folder: Path | None) -> None:
        super().__init__(escape=True, allow_harmful_protocols=False, exclude_anchor_links=True,
                         attachments=attachments)
        self.folder = folder
        self.tex_chars = 0
        self.problem = ""  # why this answer must not reach MathJax ("" when it may)

    def _math(self, tex: str, display: bool) -> str:
        self.tex_chars += len(tex)
        self.problem = self.problem or tex_problem(tex) or (
            f"its math is {self.tex_chars:,} characters long (the limit is "
            f"{MAX_ANSWER_TEX_CHARS:,})" if self.tex_chars > MAX_ANSWER_TEX_CHARS else "")
        kind = "math/tex; mode=display" if display else "math/tex"
        return f'<script type="{kind}">{_script_text(tex)}</script>'

    # Math goes to MathJax as its own script elements (what its tex2jax pass would make): no
    # scan of the page for delimiters, and only what the Markdown parser saw as math is math.
    def inline_math(self, body: str) -> str:
        return self._math(body, display=False)

    def block_math(self, body: str) -> str:
        return self._math(body, display=True)

    def latex_environment(self, name: str, body: str) -> str:
        return self._math("\\begin{" + name + "}" + body + "\\end{" + name + "}", display=True)

    def image(self, text: str, url: str, title: str | None = None) -> str:
        src = _image_source(url, self.attachments, self.folder)
        if src is None:
            return f'<span class="noimg">[image not included: {html.escape(url)}]</span>'
        return f'<img src="{src}" alt="{html.escape(text)}">'


_TEX_TOKEN = re.compile(r"\\left\b|\\right\b|\\begin\b|\\end\b|\\.|[{}]", re.DOTALL)


def tex_problem(tex: str) -> str:
    """Why this formula must not reach MathJax ("" when it may): too long or nested too deep
    (MathJax recurses per level; a few hundred nested ``\\underbrace{`` crash the tab)."""
    if len(tex) > MAX_TEX_CHARS:
        return f"a formula of {len(tex):,} characters (the limit is {MAX_TEX_CHARS:,})"
    depth = deepest = 0
    for m in _TEX_TOKEN.finditer(tex):
        token = m.group()
        if token in ("{", "\\left", "\\begin"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in ("}", "\\right", "\\end"):
            depth = max(0, depth - 1)
    if deepest > MAX_TEX_DEPTH:
        return f"a formula nested {deepest} deep (the limit is {MAX_TEX_DEPTH})"
    return ""


class _Depth(HTMLParser):
    VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = self.deepest = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in self.VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.depth = max(0, self.depth - 1)


def html_depth(markup: str) -> int:
    """How deep the elements of ``markup`` nest."""
    parser = _Depth()
    parser.feed(markup)
    return parser.deepest


def image_pixels(data: bytes) -> int | None:
    """Width x height from a PNG, GIF, JPEG or WebP header (None: not one of those, or SVG):
    what the browser would decode, known before it tries."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big") * int.from_bytes(data[20:24], "big")
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return int.from_bytes(data[6:8], "little") * int.from_bytes(data[8:10], "little")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        if data[12:16] == b"VP8X":
            return ((int.from_bytes(data[24:27], "little") + 1)
                    * (int.from_bytes(data[27:30], "little") + 1))
        if data[12:16] == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            return ((bits & 0x3FFF) + 1) * (((bits >> 14) & 0x3FFF) + 1)
        if data[12:16] == b"VP8 ":
            return ((int.from_bytes(data[26:28], "little") & 0x3FFF)
                    * (int.from_bytes(data[28:30], "little") & 0x3FFF))
        return None
    if data[:2] == b"\xff\xd8":  # JPEG: the first start-of-frame marker has the size
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                return int.from_bytes(data[i + 5:i + 7], "big") * int.from_bytes(
                    data[i + 7:i + 9], "big")
            i += 2 + length
    return None


def _image_ok(data: bytes) -> bool:
    pixels = image_pixels(data)
    return pixels is None or pixels <= MAX_IMAGE_PIXELS


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
                b64 = "".join(bundle[mime].split())
                return f"data:{mime};base64,{b64}" if _data_ok(b64) else None
        return None
    if folder is None or "://" in url or url.startswith(("data:", "/")):
        return None  # remote or absolute: rendering is offline and stays inside the submission
    path = (folder / url.split("?")[0]).resolve()
    file_mime = IMAGE_TYPES.get(path.suffix.lower())
    if (file_mime is None or not path.is_file() or not path.is_relative_to(folder.resolve())
            or path.stat().st_size > MAX_IMAGE_BYTES):
        return None
    data = path.read_bytes()
    return f"data:{file_mime};base64,{base64.b64encode(data).decode()}" if _image_ok(data) else None


def _data_ok(b64: str) -> bool:
    """A base64 image (an attachment, an output) within the pixel bound, read from its header."""
    try:
        return _image_ok(base64.b64decode(b64[:4096] + "=" * (-len(b64[:4096]) % 4)))
    except ValueError:
        return False


def markdown_html(source: str, attachments: dict | None = None,
                  folder: Path | None = None) -> str:
    """Markdown of a cell -> HTML with its math left for MathJax and its images embedded."""
    return _markdown(source, attachments, folder)[0]


def _markdown(source: str, attachments: dict | None, folder: Path | None) -> tuple[str, str]:
    """(HTML, why it must not reach the browser or "") of a markdown cell."""
    renderer = _AnswerRenderer(attachments or {}, folder)
    markup = MarkdownWithMath(renderer=renderer).render(html_images_to_markdown(source))
    if not renderer.problem and (depth := html_depth(markup)) > MAX_HTML_DEPTH:
        renderer.problem = f"its HTML nests {depth} deep (the limit is {MAX_HTML_DEPTH})"
    return markup, renderer.problem


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
            b64 = "".join(str(data[mime]).split())
            parts.append(f'<img src="data:{mime};base64,{b64}">' if _data_ok(b64) else
                         '<span class="noimg">[image not included: too many pixels]</span>')
        elif "text/plain" in data:
            parts.append(f'<pre class="out">{html.escape(str(data["text/plain"]))}</pre>')
    return "".join(parts)


def answer_html(answer: Answer, folder: Path | None) -> tuple[str, str]:
    """The inside of a question's page, the student's cells in order, and why it must be
    printed as plain text instead ("" when it need not)."""
    if answer.missing:
        return (f'<div class="missing">No answer.<small>{html.escape(answer.missing)}'
                "</small></div>", "")
    parts, problem = [], ""
    for cell in answer.cells:
        source = cell.source[:MAX_TEXT_CHARS]
        if cell.cell_type == "markdown":
            markup, why = _markdown(source, cell.get("attachments"), folder)
            parts.append(markup)
            problem = problem or why
        else:
            parts.append('<div class="code-label">code cell</div>'
                         f"<pre>{html.escape(source)}</pre>{_outputs_html(cell)}")
    return "".join(parts), problem


def fallback_html(answer: Answer, reason: str) -> str:
    """An answer that could not be typeset, as its text: every cell verbatim, monospaced (the
    page shrinks it to fit), under a line saying why."""
    cells = "".join(f'<pre class="verbatim">{html.escape(c.source[:MAX_TEXT_CHARS])}</pre>'
                    for c in answer.cells)
    return (f'<div class="fallback-note">could not be typeset: {html.escape(reason)}; the '
            f"answer's text follows as written</div>{cells}")


def student_line(student: dict[str, str], key: str) -> str:
    """``Name · SID 1001 · email`` from the export's metadata, else the submission's name; each
    part one printable line (no control or bidirectional characters), a name at most 120
    characters."""
    bits = [one_line(student.get("name", ""), 120),
            f"SID {one_line(student['sid'], 40)}" if student.get("sid") else "",
            one_line(student.get("email", ""), 120)]
    return " · ".join(b for b in bits if b) or one_line(key, 120)


def page_html(homework: str, key: str, student: dict[str, str], answer: Answer, count: int,
              folder: Path | None, fallback: str = "") -> tuple[str, str]:
    """One question's page (header, answer box shrunk by the browser, footer), and why its
    answer is printed as plain text ("" when it is typeset). ``fallback``: a reason to print
    it as plain text anyway (the browser failed on it)."""
    q = answer.question
    who = html.escape(student_line(student, key))
    sub_line = (f"<br>submission {html.escape(one_line(key, 120))}"
                if who != html.escape(one_line(key, 120)) else "")
    label = f"{q.label} · " if q.label else ""
    body, problem = ("", fallback) if fallback else answer_html(answer, folder)
    if problem:
        body = fallback_html(answer, problem)
    return (
        f'<section class="page" data-question="{html.escape(q.name)}">'
        f'<div class="head"><div><span class="q">{html.escape(homework)} · {html.escape(label)}'
        f"{html.escape(q.name)}</span><br>{counted(q.points, 'point')} · written question "
        f"{q.number} of {count}</div>"
        f'<div class="who">{who}{sub_line}</div></div>'
        f'<div class="box"><div class="fit">{body}</div></div>'
        f'<div class="foot"><span>{html.escape(homework)} · {html.escape(q.name)} · '
        f"{who}</span><span class=\"scale\"></span><span>page {q.page} of "
        f"{count * PAGES_PER_QUESTION}</span></div></section>"), problem
