"""Printing HTML pages to PDF in one headless Chromium, with MathJax, offline.

One browser process serves a whole class: ``jobs`` tabs, each loaded once with MathJax, print
one document (a batch of submissions) after another: the page's body is replaced, MathJax
typesets it, every answer is fitted to its page, then Chromium prints. Every request a tab
makes is answered from here: MathJax from Debian's ``libjs-mathjax`` under a made-up origin,
anything else refused, so a rendering never touches the network and a submission cannot load
anything.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

from deepgrade.errors import UserError
from deepgrade.written.render import PAGE_CSS

MATHJAX = Path("/usr/share/javascript/mathjax")
ORIGIN = "https://deepgrade.invalid"  # never resolved: every request is routed below
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-extensions", "--font-render-hinting=none"]
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
    MathJax.Hub.Register.StartupHook("End", function () { window.mathjaxReady = true; });
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
window.renderPages = async function (html) {
  document.body.innerHTML = html;
  await Promise.all(Array.from(document.images, (img) => img.decode().catch(() => null)));
  await new Promise((done) => MathJax.Hub.Queue(["Typeset", MathJax.Hub, document.body], done));
  await document.fonts.ready;
  document.querySelectorAll(".page").forEach(fitPage);
  return document.querySelectorAll(".page").length;
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


async def _print_all(count: int, make_html: Callable[[int], str], jobs: int,
                     on_done: Callable[[int, bytes], None], timeout: float) -> None:
    from playwright.async_api import async_playwright

    pending = iter(range(count))
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        try:
            async def tab() -> None:
                page = await browser.new_page()
                await page.route("**/*", _route)
                await page.goto(f"{ORIGIN}/")
                await page.wait_for_function("window.mathjaxReady === true", timeout=60_000)
                for index in pending:  # shared: each tab takes the next document
                    # Preparing the HTML and splitting the PDF are Python work: in a thread,
                    # so that they overlap with the browser's typesetting in the other tab.
                    html = await asyncio.to_thread(make_html, index)
                    try:
                        await asyncio.wait_for(
                            page.evaluate("html => window.renderPages(html)", html), timeout)
                    except TimeoutError:
                        raise UserError(f"typesetting document {index + 1} of {count} took "
                                        f"more than {timeout:g} s; look for a pathological "
                                        "formula in its answers") from None
                    data = await page.pdf(prefer_css_page_size=True, print_background=True)
                    await asyncio.to_thread(on_done, index, data)
                await page.close()

            await asyncio.gather(*(tab() for _ in range(max(1, min(jobs, count)))))
        finally:
            await browser.close()


def print_pdfs(count: int, make_html: Callable[[int], str], jobs: int,
               on_done: Callable[[int, bytes], None], timeout: float = 300) -> None:
    """Print documents ``0..count-1``, each the body HTML ``make_html(i)``, to PDF, in ``jobs``
    tabs of one browser; ``on_done(i, pdf_bytes)`` as each finishes (in no particular order)."""
    if count:
        asyncio.run(_print_all(count, make_html, jobs, on_done, timeout))
