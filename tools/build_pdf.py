"""Build the whole book as one PDF (``make pdf``), for reading offline.

The single-page HTML build (``jupyter-book build --builder singlehtml``) is printed by
headless Chromium with the site's print styles (``book/_static/print.css``), so the PDF
looks like the printed website: wrapped code, typeset maths, open solutions. Chinese text
uses Noto Sans SC from the ``pylopdf-fonts-zh-cn`` wheel (the font of the figures), so the
PDF carries Chinese glyphs on any machine, whatever fonts it has installed.

The PDF is written to ``_build/pdf/deep-learning-basics.pdf`` and copied into the website
(``_build/html/_downloads/``), where the preface links to it.

Usage: python tools/build_pdf.py [--skip-without-browser]
"""

from __future__ import annotations

import functools
import http.server
import importlib.resources
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SINGLE = ROOT / "_build" / "singlehtml"
PDF = ROOT / "_build" / "pdf" / "deep-learning-basics.pdf"
SITE_COPY = ROOT / "_build" / "html" / "_downloads" / PDF.name
FONT_FILE = "NotoSansSC-Regular.otf"
# Chinese text in the bundled font; Latin text and code keep the theme's fonts. Chromium embeds
# this CFF-based font as a Type 3 font named by its descriptor (/FontName .../NotoSansSC-Regular).
FONT_CSS = f"""
@font-face {{ font-family: "Book CJK"; src: url("/{FONT_FILE}"); unicode-range: U+2E80-9FFF,
  U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF, U+201C-201D, U+2018-2019, U+3000-303F; }}
body, h1, h2, h3, h4, p, li, td, th, figcaption {{
  font-family: "Book CJK", var(--pst-font-family-base), sans-serif !important; }}
pre, code, kbd {{
  font-family: var(--pst-font-family-monospace), "Book CJK", monospace !important; }}
"""
# On paper nothing can be clicked open: show the solutions and the hidden code cells.
OPEN_EVERYTHING = """() => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  document.querySelectorAll(".toggle-hidden").forEach((e) => e.classList.remove("toggle-hidden"));
}"""
MARGIN = {"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#555">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def browser_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def build_single_page() -> Path:
    """The book as one HTML page (strict, like the website build)."""
    subprocess.run(
        [
            str(Path(sys.executable).with_name("jupyter-book")),
            "build",
            ".",
            "--builder",
            "singlehtml",
            "-W",
            "-n",
            "--keep-going",
            "-q",
        ],
        cwd=ROOT,
        check=True,
    )
    root = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))["root"]
    written = SINGLE / f"{root}.html"  # index.html only redirects to it
    if not written.is_file():
        raise FileNotFoundError(f"the single-page build did not write {written}")
    # Its links are relative to the build's root (_static/, _images/), so it is read from there.
    index = SINGLE / "book.html"
    shutil.copyfile(written, index)
    font = Path(str(importlib.resources.files("pylopdf_fonts_zh_cn") / FONT_FILE))
    shutil.copyfile(font, SINGLE / FONT_FILE)
    return index.relative_to(SINGLE)


@functools.cache
def _quiet_handler():
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # signature from the base class
            pass

    return Quiet


def print_pdf(chromium: str, page_path: Path) -> Path:
    """Print the single page with Chromium, after MathJax has typeset every formula."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_quiet_handler(), directory=str(SINGLE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page_path.as_posix()}"
    PDF.parent.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                ],
            )
            page = browser.new_page()
            page.goto(url, wait_until="load", timeout=120_000)
            page.add_style_tag(content=FONT_CSS)
            page.evaluate(OPEN_EVERYTHING)
            page.wait_for_function(
                "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                timeout=60_000,
            )
            page.evaluate("() => MathJax.startup.promise")
            # Fonts load when first used; load the Chinese one before printing, or Chromium
            # prints with whatever system font it found first.
            loaded = page.evaluate(
                "() => document.fonts.load('16px \"Book CJK\"', '中文').then(f => f.length)"
            )
            if not loaded:
                raise RuntimeError(f"the Chinese font {FONT_FILE} did not load")
            page.evaluate("() => document.fonts.ready.then(() => true)")
            page.emulate_media(media="print")
            page.pdf(
                path=str(PDF),
                format="A4",
                margin=MARGIN,
                display_header_footer=True,
                header_template="<div></div>",
                footer_template=FOOTER,
                outline=True,
                tagged=True,
            )
            browser.close()
    finally:
        server.shutdown()
    return PDF


def main(argv: list[str]) -> int:
    chromium = browser_path()
    if chromium is None:
        message = "make pdf: no Chromium or Chrome found (set CHROMIUM=/path/to/chrome)"
        if "--skip-without-browser" in argv:
            print(f"{message}; the PDF is not built.")
            return 0
        sys.exit(message)
    pdf = print_pdf(chromium, build_single_page())
    SITE_COPY.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pdf, SITE_COPY)
    print(f"PDF: {pdf} ({pdf.stat().st_size / 1e6:.1f} MB), copied to {SITE_COPY}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
