"""Printing HTML pages to PDF in headless Chromium, with MathJax, offline.

``jobs`` browsers of one tab each, each loaded once with MathJax, serve a whole class, printing
one document (a batch of submissions) after another: the page's body is replaced, MathJax
typesets it, every answer is fitted to its page, then Chromium prints. Whatever one answer does
costs only its page: a document that crashes its browser, hangs or errs is printed again with
each page typeset alone (its own time budget; the browser restarted if it died), and the pages
that fail alone, or that MathJax reports an error on, are printed as plain text instead. Every
request a tab makes is answered from here: MathJax from Debian's ``libjs-mathjax`` under a
made-up origin, anything else refused, so a rendering never touches the network and a
submission cannot load anything.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from deepgrade.errors import UserError
from deepgrade.grade.messages import one_line
from deepgrade.written.render import PAGE_CSS

MATHJAX = Path("/usr/share/javascript/mathjax")
ORIGIN = "https://deepgrade.invalid"  # never resolved: every request is routed below
# Each answer's budget. A document may take PAGE_SECONDS per page beyond DOCUMENT_SECONDS
# (typesetting takes about 0.1 s a page); when it fails, each of its pages is typeset alone
# within ANSWER_SECONDS to find the answer that did it. V8's heap in each browser is capped
# (--js-flags): an answer that needs more crashes only its own browser, which is restarted.
DOCUMENT_SECONDS = 60.0
PAGE_SECONDS = 2.0
ANSWER_SECONDS = 20.0
HEAP_MB = 1024
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-extensions", "--font-render-hinting=none",
                 f"--js-flags=--max-old-space-size={HEAP_MB}"]
MIN_SCALE = 0.08  # below this a page is unreadable even zoomed in: the rest is cut, and said

# MathJax 2 configuration: TeX in, CommonHTML out (the fastest output); Safe forbids links,
# styles and JavaScript in TeX; noErrors shows bad TeX as its source instead of an error box.
SHELL = """<!doctype html><html><head><meta charset="utf-8"><style>%(css)s</style>
<script>
window.MathJax = {
  jax: ["input/TeX", "output/CommonHTML"],
  extensions: ["Safe.js"],  // no tex2jax: render.py hands the math over as script elements
  TeX: {extensions: ["AMSmath.js", "AMSsymbols.js", "noErrors.js", "noUndefined.js"]},
  // No pauses: by default MathJax yields to the browser between sections and chunks.
  CommonHTML: {EqnChunk: 100000, EqnChunkDelay: 0, matchFontHeight: false},
  processSectionDelay: 0, processUpdateTime: 100000, processUpdateDelay: 0,
  showMathMenu: false, messageStyle: "none", skipStartupTypeset: true,
  "fast-preview": {disabled: true}, menuSettings: {zoom: "None"},
  AuthorInit: function () {
    MathJax.Hub.Register.StartupHook("End", function () {
      window.registerErrors(); window.mathjaxReady = true;
    });
  }
};
// CSS zoom, not a transform: printing cuts pages by layout size, and a transform leaves the
// layout tall (what lies below the page in layout would be cut off). Zoomed width = box width.
function fits(fit, box) {
  return fit.getBoundingClientRect().height <= box.clientHeight + 0.5 &&
    fit.scrollWidth <= fit.clientWidth + 1;
}
function lay(fit, box, s, cols) {
  fit.className = "fit" + (cols > 1 ? " cols" + cols : "");
  fit.style.zoom = s;
  fit.style.width = (box.clientWidth / s) + "px";
}
let lastK = 2;
function largest(fit, box, cols) {  // the largest scale at which the answer fits, or 0
  // Each layout of a long typeset answer is slow, so few of them: the height goes as s^k
  // (k = 2 for wrapping text, 1 for code lines), k re-estimated from the last two layouts.
  const ratio = (s) => { lay(fit, box, s, cols); return fit.getBoundingClientRect().height /
                                                         box.clientHeight; };
  let s0 = 1, r0 = ratio(1), k = 2;
  if (fits(fit, box)) return 1;
  let s = s0 * Math.pow(0.98 / r0, 1 / k);
  for (let i = 0; i < 6; i++) {
    if (fit.scrollWidth > fit.clientWidth + 1) s = Math.min(s, 0.98 * s0 * fit.clientWidth /
                                                                fit.scrollWidth);
    s = Math.max(Math.min(s, 1), %(min_scale)s);
    const r = ratio(s);
    if (fits(fit, box)) { lastK = k; return s; }
    if (s <= %(min_scale)s) return 0;
    if (r !== r0 && Math.abs(Math.log(s / s0)) > 1e-3) {
      k = Math.min(3, Math.max(0.5, Math.log(r / r0) / Math.log(s / s0)));
    }
    s0 = s; r0 = r;
    s = s * Math.pow(0.98 / Math.max(r, 1.0001), 1 / k);
  }
  return 0;
}
function fitPage(page) {
  const box = page.querySelector(".box"), fit = box.firstElementChild;
  let best = {s: 0, cols: 1};
  for (const cols of [1, 2, 3]) {  // columns only when one column would be too small
    const s = largest(fit, box, cols);
    if (s > best.s * 1.15) best = {s: s, cols: cols};
    // Wrapping text fills the width already (height ~ s^2): columns would not make it larger.
    if (best.s >= 0.55 || (cols === 1 && s > 0 && lastK > 1.5)) break;
  }
  const note = page.querySelector(".scale");
  if (best.s === 0) {
    lay(fit, box, %(min_scale)s, 3);
    note.textContent = "answer too long for its page: cut at the bottom";
    note.className = "scale shrunk";
    return;
  }
  lay(fit, box, best.s, best.cols);
  if (best.s < 1 || best.cols > 1) {
    note.textContent = "shrunk to " + Math.round(best.s * 100) + "%%" +
      (best.cols > 1 ? ", " + best.cols + " columns" : "") + " to keep its page (zoom in)";
    note.className = "scale shrunk";
  }
}
// A formula MathJax fails on (an internal error, not a TeX mistake: noErrors shows those as
// their source) costs only its page: the page is reported and printed again as plain text.
let mathErrors = [];
window.registerErrors = () => MathJax.Hub.Register.MessageHook("Math Processing Error", (m) => {
  const message = m;
  const node = message[1] && message[1].parentNode, page = node && node.closest(".page");
  const err = message[2] && message[2].message ? message[2].message : "Math Processing Error";
  mathErrors.push([Array.from(document.querySelectorAll(".page")).indexOf(page), String(err)]);
});
window.renderPages = async function (html) {
  mathErrors = [];
  document.body.innerHTML = html;
  await Promise.all(Array.from(document.images, (img) => img.decode().catch(() => null)));
  await new Promise((done) => MathJax.Hub.Queue(["Typeset", MathJax.Hub, document.body], done));
  await document.fonts.ready;
  document.querySelectorAll(".page").forEach(fitPage);
  return {pages: document.querySelectorAll(".page").length, errors: mathErrors};
};
</script>
<script src="%(origin)s/mathjax/MathJax.js"></script></head><body></body></html>
"""


def find_chromium() -> str:
    """Debian's chromium, or a UserError saying how to install what is missing."""
    chromium = shutil.which("chromium")
    missing = [name for name, ok in (("chromium", chromium),
                                     ("libjs-mathjax", (MATHJAX / "MathJax.js").is_file()))
               if not ok]
    if missing:
        raise UserError(f"deepgrade written needs the Debian packages {', '.join(missing)}; "
                        f"install them with `sudo scripts/system-deps.sh written` (or apt-get "
                        f"install {' '.join(missing)})")
    assert chromium is not None  # else it is in `missing`
    return chromium


async def _route(route) -> None:
    url = route.request.url
    if url == f"{ORIGIN}/":
        await route.fulfill(body=SHELL % {"css": PAGE_CSS, "origin": ORIGIN,
                                          "min_scale": MIN_SCALE},
                            content_type="text/html; charset=utf-8")
        return
    if url.startswith(f"{ORIGIN}/mathjax/"):
        path = (MATHJAX / url.removeprefix(f"{ORIGIN}/mathjax/").split("?")[0]).resolve()
        if path.is_relative_to(MATHJAX.resolve()) and path.is_file():
            await route.fulfill(path=str(path))
            return
    await route.abort()


class _Tab:
    """One browser of its own with one tab loaded with MathJax: a crash or a hang of one
    answer's typesetting kills only this browser, which is started again."""

    def __init__(self, playwright: Any) -> None:
        self.playwright = playwright
        self.browser: Any = None
        self.page: Any = None

    async def open(self) -> None:
        self.browser = await self.playwright.chromium.launch(executable_path=find_chromium(),
                                                             args=CHROMIUM_ARGS)
        page = await self.browser.new_page()
        await page.route("**/*", _route)
        await page.goto(f"{ORIGIN}/")
        await page.wait_for_function("window.mathjaxReady === true", timeout=60_000)
        self.page = page

    async def close(self) -> None:
        if self.browser is not None:
            browser, self.browser, self.page = self.browser, None, None
            try:
                await asyncio.wait_for(browser.close(), 20)
            except Exception:  # noqa: BLE001 - a dead browser: the driver reaps it at exit
                pass

    async def render(self, html: str, timeout: float) -> tuple[bytes, list[tuple[int, str]]]:
        """Typeset and print ``html``: the PDF and the pages MathJax failed on (index, why).
        Raises _Failed (the browser is then closed) when it crashes, hangs or errs."""
        if self.page is None:
            await self.open()
        assert self.page is not None
        try:
            result = await asyncio.wait_for(
                self.page.evaluate("html => window.renderPages(html)", html), timeout)
            data = await asyncio.wait_for(
                self.page.pdf(prefer_css_page_size=True, print_background=True), timeout)
        except TimeoutError:
            await self.close()
            raise _Failed(f"typesetting took more than {timeout:g} s") from None
        except Exception as exc:  # noqa: BLE001 - Playwright's Error: crash, JS error, OOM
            await self.close()
            raise _Failed(_why(exc)) from None
        return data, [(int(i), str(why)) for i, why in result["errors"]]


class _Failed(Exception):
    """Printing one document failed; its message says why, for the fallback page."""


def _why(exc: BaseException) -> str:
    """Playwright's error as a short reason: its first line, without the call it was in."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return one_line(text.split(": ", 1)[-1] if text.startswith("Page.") else text, 160)


async def _print_one(tab: _Tab, pages: list[str], fallback: Callable[[int, str], str],
                     timeout: float) -> tuple[bytes, dict[int, str]]:
    """Print one document of ``pages``, each of which may fall back to plain text: the PDF and
    the pages that fell back, with why. One answer's crash, hang or MathJax error costs only
    its own page: on a failure each page is typeset alone with its own budget."""
    fell: dict[int, str] = {}
    budget = timeout + PAGE_SECONDS * len(pages)

    def html() -> str:
        return "".join(fallback(i, fell[i]) if i in fell else page for i, page in enumerate(pages))

    try:
        data, errors = await tab.render(html(), budget)
    except _Failed:
        for i, page in enumerate(pages):  # which answers? each alone, with its own budget
            try:
                _, alone = await tab.render(page, ANSWER_SECONDS)
            except _Failed as exc:
                fell[i] = str(exc)
                continue
            if alone:
                fell[i] = alone[0][1]
        errors = []
        try:
            data, errors = await tab.render(html(), budget)
        except _Failed as exc:  # together they fail where each alone did not: all plain text
            fell.update({i: str(exc) for i in range(len(pages)) if i not in fell})
            data, errors = await tab.render(html(), budget)
    if errors:
        fell.update({i: f"MathJax: {why}" for i, why in errors if 0 <= i < len(pages)})
        data, errors = await tab.render(html(), budget)
    return data, fell


async def _print_all(count: int, make_pages: Callable[[int], list[str]],
                     fallback: Callable[[int, int, str], str], jobs: int,
                     on_done: Callable[[int, bytes, dict[int, str]], None],
                     timeout: float) -> None:
    from playwright.async_api import async_playwright

    pending = iter(range(count))
    async with async_playwright() as p:
        tabs = [_Tab(p) for _ in range(max(1, min(jobs, count)))]
        try:
            async def work(tab: _Tab) -> None:
                for index in pending:  # shared: each tab takes the next document
                    # Preparing the HTML and splitting the PDF are Python work: in a thread,
                    # so that they overlap with the browser's typesetting in the other tab.
                    pages = await asyncio.to_thread(make_pages, index)
                    data, fell = await _print_one(tab, pages, partial(fallback, index), timeout)
                    await asyncio.to_thread(on_done, index, data, fell)

            await asyncio.gather(*(work(tab) for tab in tabs))
        finally:
            for tab in tabs:
                await tab.close()


def print_pdfs(count: int, make_pages: Callable[[int], list[str]],
               fallback: Callable[[int, int, str], str], jobs: int,
               on_done: Callable[[int, bytes, dict[int, str]], None],
               timeout: float | None = None) -> None:
    """Print documents ``0..count-1`` to PDF in ``jobs`` browsers of one tab each. Document
    ``i`` is the pages ``make_pages(i)`` (body HTML, one string per page); a page that cannot
    be typeset (crash, hang, MathJax error) is printed as ``fallback(i, page, why)`` instead.
    ``on_done(i, pdf_bytes, {page: why})`` as each document finishes (in no particular order).
    ``timeout``: seconds per document (DOCUMENT_SECONDS) beyond ``PAGE_SECONDS`` per page."""
    if count:
        asyncio.run(_print_all(count, make_pages, fallback, jobs, on_done,
                               DOCUMENT_SECONDS if timeout is None else timeout))
