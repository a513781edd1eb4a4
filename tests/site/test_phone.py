"""The site on a phone (390 px) and on a desktop (1280 px), and the sidebar toggles.

Every page must fit the phone's width: long code wraps, wide formulas scroll
inside their own box, and no formula is pushed out of its box to the left. The
☰ (chapters) and page-contents drawers must open and close on tap and by
keyboard; on a desktop the ☰ collapses and restores the chapter sidebar.
"""

from __future__ import annotations

import pytest

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}

# Everything measured in one pass over the page (after MathJax has typeset it).
LAYOUT = r"""
() => {
  const vw = document.documentElement.clientWidth;
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const describe = (el) => {
    const cls = typeof el.className === "string" && el.className ?
      "." + el.className.trim().split(/\s+/).join(".") : "";
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 50);
    return `${el.tagName.toLowerCase()}${cls} "${text}"`;
  };
  // An element widens the page unless a scrolling/clipping or fixed box holds it, or it is hidden.
  const widensPage = (el) => {
    for (let p = el; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.position === "fixed" || s.visibility === "hidden") return false;
      if (p !== el && s.overflowX !== "visible") return false;
    }
    return true;
  };
  let widest = null, widestInArticle = null;
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || !widensPage(el)) continue;
    if (r.right > vw + 0.5 && (!widest || r.right > widest.right))
      widest = {right: Math.round(r.right), what: describe(el)};
    const leaf = !el.firstElementChild ||
      ["MJX-CONTAINER", "IMG", "PRE", "CODE", "TABLE", "SVG"].includes(el.tagName);
    if (leaf && el.closest(".bd-article") && (!widestInArticle || r.right > widestInArticle.right))
      widestInArticle = {right: Math.round(r.right), what: describe(el)};
  }

  const problems = [];
  for (const box of document.querySelectorAll("div.math")) {
    const c = box.querySelector("mjx-container");
    const m = c && c.querySelector(":scope > mjx-math");
    if (!m) continue;
    const b = box.getBoundingClientRect(), cr = c.getBoundingClientRect(),
      mr = m.getBoundingClientRect();
    if (cr.left < b.left - 1 || mr.left < cr.left - 1)
      problems.push(`display maths starts ${Math.round(b.left - Math.min(cr.left, mr.left))} px ` +
        `left of its box: ${describe(box)}`);
    if (mr.right > cr.right + 1 && !scrolls(c))
      problems.push(`display maths wider than its box and not scrollable: ${describe(box)}`);
  }
  let tight = 0, tightExample = "";
  for (const s of document.querySelectorAll("span.math")) {
    const m = s.querySelector("mjx-container > mjx-math");
    if (!m) continue;
    const cs = getComputedStyle(s);
    if (cs.overflowX === "visible" && cs.overflowY === "visible") continue;
    const mr = m.getBoundingClientRect(), sr = s.getBoundingClientRect();
    if (mr.width > s.clientWidth + 1 && !scrolls(s))
      problems.push(`inline formula cut off (${Math.round(mr.width)} px in a ${s.clientWidth} px ` +
        `box): ${describe(s)}`);
    // Glyphs draw beyond their font boxes (the top of ⊤): a clipping box must leave them room.
    let top = Infinity, bottom = -Infinity;
    for (const g of m.querySelectorAll("mjx-c")) {
      const r = g.getBoundingClientRect();
      if (r.height > 0) { top = Math.min(top, r.top); bottom = Math.max(bottom, r.bottom); }
    }
    if (top !== Infinity && Math.min(top - sr.top, sr.bottom - bottom) < 2) {
      tight += 1;
      tightExample = tightExample || describe(s);
    }
  }
  if (tight)
    problems.push(`${tight} inline formulas clipped right at their glyphs, e.g. ${tightExample}`);

  // Closing punctuation right after an inline formula must stay on the formula's line.
  const CLOSING = "，。、；：！？）》」』】〉〕〗〙〛”’…％,.;:!?)]}%";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const wrapped = [];
  for (const s of document.querySelectorAll("span.math")) {
    const c = s.querySelector("mjx-container");
    if (!c || c.getBoundingClientRect().height === 0) continue;
    let last = s;
    while (last.lastChild) last = last.lastChild;
    walker.currentNode = last;
    const next = walker.nextNode();
    if (!next || !next.data.length || !CLOSING.includes(next.data[0])) continue;
    const range = document.createRange();
    range.setStart(next, 0);
    range.setEnd(next, 1);
    const ch = range.getClientRects()[0], cr = c.getBoundingClientRect();
    if (ch && ch.top >= cr.bottom - 1) wrapped.push(`${next.data[0]} after ${describe(s)}`);
  }
  if (wrapped.length)
    problems.push(`${wrapped.length} lines start with punctuation after a formula: ` +
      wrapped.slice(0, 3).join("; "));

  return {vw, scrollWidth: document.documentElement.scrollWidth, widest, widestInArticle, problems};
}
"""


@pytest.fixture(scope="module")
def phone(open_offline):
    page = open_offline(**PHONE)
    yield page
    page.close()


@pytest.fixture(scope="module")
def widths(report):
    rows: dict[str, list[object]] = {}
    yield rows
    report(
        "页面在 390 px 手机上的宽度 / page widths at 390 px",
        ["page", "scrollWidth", "widest element", "right (px)"],
        [rows[page] for page in sorted(rows)],
    )


@pytest.fixture(scope="module")
def chapter(site_dir) -> str:
    """A chapter page with a page-contents drawer."""
    chapters = sorted(
        p.relative_to(site_dir).as_posix() for p in (site_dir / "notebooks").glob("*.html")
    )
    assert chapters, "no chapter pages under notebooks/ in the built site"
    return chapters[0]


def test_page_fits_a_phone(phone, widths, reader_page):
    page = phone.open(reader_page, idle=False)
    layout = page.evaluate(LAYOUT)
    widest = layout["widest"] or layout["widestInArticle"] or {"right": 0, "what": "-"}
    widths[reader_page] = [reader_page, layout["scrollWidth"], widest["what"][:60], widest["right"]]
    problems = list(layout["problems"])
    if layout["scrollWidth"] > layout["vw"]:
        problems.insert(
            0,
            f"page is {layout['scrollWidth']} px wide in a {layout['vw']} px phone; "
            f"widest element: {layout['widest']}",
        )
    assert not problems, f"{reader_page}:\n  " + "\n  ".join(problems)
    assert not phone.outside, f"{reader_page}: requests left the site: {phone.outside}"


@pytest.fixture(scope="module")
def desktop(open_offline):
    page = open_offline(**DESKTOP)
    yield page
    page.close()


def test_page_fits_a_desktop_column(desktop, reader_page):
    layout = desktop.open(reader_page, idle=False).evaluate(LAYOUT)
    problems = list(layout["problems"])
    if layout["scrollWidth"] > layout["vw"]:
        problems.insert(
            0,
            f"page is {layout['scrollWidth']} px wide at {layout['vw']} px; "
            f"widest: {layout['widest']}",
        )
    assert not problems, f"{reader_page} at 1280 px:\n  " + "\n  ".join(problems)


def dialog_open(page, dialog_id: str) -> bool:
    return page.evaluate("(id) => document.getElementById(id).open", dialog_id)


def wait_dialog(page, dialog_id: str, open_: bool):
    page.wait_for_function(
        "([id, open]) => document.getElementById(id).open === open",
        arg=[dialog_id, open_],
        timeout=3000,
    )


def assert_drawer_shows(page, dialog_id: str, what: str):
    box = page.locator(f"#{dialog_id}").bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100, (
        f"the {what} drawer opened with size {box}"
    )
    links = page.locator(f"#{dialog_id} a.reference")
    assert links.count() >= 2, f"the {what} drawer has {links.count()} links"
    assert links.first.is_visible(), f"the {what} drawer's links are not visible"


def tab_to(page, selector: str, limit: int = 80) -> int:
    """Press Tab until the element matching ``selector`` has the focus; return the number of
    presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return presses
    raise AssertionError(f"{selector} was not reached in {limit} Tab presses")


# The visible toggles sit in the article header (the theme's top navbar has hidden copies).
DRAWERS = [
    pytest.param(
        ".bd-header-article .primary-toggle",
        "pst-primary-sidebar-modal",
        "chapter list",
        id="chapters",
    ),
    pytest.param(
        ".bd-header-article .secondary-toggle",
        "pst-secondary-sidebar-modal",
        "page contents",
        id="contents",
    ),
]


@pytest.mark.parametrize(("toggle", "dialog_id", "what"), DRAWERS)
def test_drawer_opens_and_closes_on_tap(offline_page, chapter, toggle, dialog_id, what):
    tab = offline_page(**PHONE)
    page = tab.open(chapter, wait_for_maths=False, idle=False)
    button = page.locator(toggle)
    assert button.is_visible(), f"no visible {what} button at 390 px"
    for _ in range(2):  # open and close twice: the drawer must work again after closing
        button.tap()
        wait_dialog(page, dialog_id, True)
        assert_drawer_shows(page, dialog_id, what)
        box = page.locator(f"#{dialog_id}").bounding_box()
        # Tap the backdrop beside the drawer.
        x = 10 if box["x"] > 60 else PHONE["viewport"]["width"] - 10
        page.touchscreen.tap(x, PHONE["viewport"]["height"] // 2)
        wait_dialog(page, dialog_id, False)
    assert not tab.outside


@pytest.mark.parametrize(("toggle", "dialog_id", "what"), DRAWERS)
def test_drawer_opens_and_closes_by_keyboard(offline_page, chapter, toggle, dialog_id, what):
    page = offline_page(**PHONE).open(chapter, wait_for_maths=False, idle=False)
    tab_to(page, toggle)
    page.keyboard.press("Enter")
    wait_dialog(page, dialog_id, True)
    assert_drawer_shows(page, dialog_id, what)
    page.keyboard.press("Escape")
    wait_dialog(page, dialog_id, False)
    assert page.evaluate("(s) => document.activeElement === document.querySelector(s)", toggle), (
        f"focus did not return to the {what} button after Escape"
    )


def test_desktop_toggle_collapses_and_restores_the_chapter_sidebar(offline_page, chapter):
    page = offline_page(**DESKTOP).open(chapter, wait_for_maths=False, idle=False)
    sidebar = page.locator("#pst-primary-sidebar")
    toggle = ".bd-header-article .primary-toggle"
    assert sidebar.is_visible(), "the chapter sidebar is not shown at 1280 px"
    page.locator(toggle).click()
    sidebar.wait_for(state="hidden", timeout=3000)
    page.locator(toggle).click()
    sidebar.wait_for(state="visible", timeout=3000)
    # The same by keyboard.
    page.locator(toggle).focus()
    page.keyboard.press("Enter")
    sidebar.wait_for(state="hidden", timeout=3000)
    page.keyboard.press("Enter")
    sidebar.wait_for(state="visible", timeout=3000)
    assert not dialog_open(page, "pst-primary-sidebar-modal"), (
        "a modal opened on the desktop instead"
    )
