"""Printed pages (book/_static/print.css, print.js), checked in Chromium with print media.

The viewport is the printable width of A4 paper at 96 CSS px per inch with 15 mm margins
(180 mm, 680 px). In print, no code block or output may be wider than its box (it wraps, and no
scrollbar is drawn), every display formula fits its box, and the sidebars, headers and buttons
are not shown. The same page on screen at that width has code lines too long for the column, so
the checks test something.
"""

from __future__ import annotations

import pytest

PRINT_WIDTH = {"viewport": {"width": 680, "height": 960}}
# Pages with long code lines, long outputs and (detection_metrics) a formula wider than 680 px.
PAGES = [
    "notebooks/errata.html",
    "notebooks/detection_metrics.html",
    "notebooks/least_squares.html",
]

MEASURE = r"""() => {
  const describe = (el) => `${el.tagName.toLowerCase()}.${(el.className || "").toString()
    .trim().split(/\s+/).join(".")} "${(el.textContent || "").trim().slice(0, 40)}"`;
  const shown = (el) => getComputedStyle(el).display !== "none" && el.getClientRects().length > 0;
  const wide = Array.from(document.querySelectorAll("pre"))
    .filter((p) => shown(p) && p.scrollWidth > p.clientWidth + 1)
    .map((p) => `${p.scrollWidth} px in ${p.clientWidth} px: ${describe(p)}`);
  const scrollbars = Array.from(document.querySelectorAll("pre, div.highlight"))
    .filter((p) => shown(p) && ["auto", "scroll"].includes(getComputedStyle(p).overflowX))
    .length;
  const maths = [];
  for (const box of document.querySelectorAll("div.math")) {
    const m = box.querySelector("mjx-container > mjx-math");
    if (!m || !shown(box)) continue;
    const b = box.getBoundingClientRect(), r = m.getBoundingClientRect();
    if (r.left < b.left - 1 || r.right > b.right + 1)
      maths.push(`${Math.round(r.width)} px in ${Math.round(b.width)} px: ${describe(box)}`);
  }
  const hidden = {};
  for (const selector of [".bd-sidebar-primary", ".bd-sidebar-secondary", ".bd-header",
                          ".bd-header-article", "button", ".prev-next-area"])
    hidden[selector] = Array.from(document.querySelectorAll(selector)).filter(shown).length;
  return {wide, scrollbars, maths, hidden, pageWidth: document.documentElement.scrollWidth};
}"""


@pytest.fixture(scope="module")
def paper(open_offline):
    page = open_offline(**PRINT_WIDTH)
    yield page
    page.close()


@pytest.mark.parametrize("relative", PAGES)
def test_printed_page_wraps_code_and_fits_maths(paper, site_dir, relative):
    if not (site_dir / relative).is_file():
        pytest.skip(f"{relative} is not in this build")
    page = paper.open(relative)
    page.emulate_media(media="screen")
    on_screen = page.evaluate(MEASURE)
    page.emulate_media(media="print")
    try:
        printed = page.evaluate(MEASURE)
    finally:
        page.emulate_media(media="screen")

    assert on_screen["wide"], f"{relative}: no long code on screen, so nothing is tested"
    assert not printed["wide"], f"{relative}: code wider than its box in print:\n  " + "\n  ".join(
        printed["wide"]
    )
    assert printed["scrollbars"] == 0, f"{relative}: {printed['scrollbars']} scrolling code boxes"
    assert not printed["maths"], f"{relative}: formulas cut off in print:\n  " + "\n  ".join(
        printed["maths"]
    )
    shown = {k: n for k, n in printed["hidden"].items() if n}
    assert not shown, f"{relative}: shown in print: {shown}"
    assert printed["pageWidth"] <= PRINT_WIDTH["viewport"]["width"], (
        f"{relative}: the printed page is {printed['pageWidth']} px wide"
    )


def test_print_style_sheet_is_print_only(site_dir):
    page = (site_dir / "notebooks" / "least_squares.html").read_text(encoding="utf-8")
    assert 'href="../_static/print.css' in page and 'media="print"' in page
