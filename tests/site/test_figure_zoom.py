"""On a phone, a figure shrunk to the column can be enlarged on tap (book/_static/figure_zoom.js).

A shrunk plot becomes a button; tapping it (or Enter) opens a full-screen dialog that shows the
plot at its full size, wider than the phone, so its labels are readable and it scrolls sideways.
The dialog closes with its 关闭 button, a tap beside the picture or Escape, and focus returns.
"""

from __future__ import annotations

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# A chapter with a wide, dense figure (the 32 first-layer kernels) near a known label.
CHAPTER = "notebooks/cnn_end_to_end.html"
FIGURE = "#fig-cnn-filters img"

STATE = """
() => {
  const d = document.querySelector("dialog.dl-zoom");
  const big = d && d.querySelector("img");
  return {open: !!(d && d.open), width: big ? big.getBoundingClientRect().width : 0,
          src: big ? big.src : null,
          scrolls: big ? big.parentElement.scrollWidth > big.parentElement.clientWidth : false,
          focused: document.activeElement && document.activeElement.getAttribute("aria-label")};
}
"""


def zoomable(page):
    page.wait_for_function(f"() => document.querySelector('{FIGURE}.dl-zoomable')")
    return page.locator(f"{FIGURE}.dl-zoomable").first


def test_a_shrunk_figure_opens_full_size_on_tap_and_closes(offline_page):
    tab = offline_page(**PHONE)
    page = tab.open(CHAPTER, wait_for_maths=False, idle=False)
    figure = zoomable(page)
    assert figure.get_attribute("role") == "button"
    assert figure.get_attribute("aria-label").startswith("放大图片：")
    shown = figure.bounding_box()["width"]
    figure.scroll_into_view_if_needed()
    figure.tap()
    page.wait_for_function("() => document.querySelector('dialog.dl-zoom')?.open")
    state = page.evaluate(STATE)
    assert state["src"] == figure.evaluate("img => img.currentSrc || img.src")
    assert state["width"] > PHONE["viewport"]["width"] > shown, state
    assert state["scrolls"], "the enlarged figure should scroll sideways inside the dialog"
    page.get_by_role("button", name="关闭").tap()
    page.wait_for_function("() => !document.querySelector('dialog.dl-zoom').open")
    assert page.evaluate(STATE)["focused"].startswith("放大图片：")
    # A tap beside the picture closes it too.
    figure.tap()
    page.wait_for_function("() => document.querySelector('dialog.dl-zoom')?.open")
    page.touchscreen.tap(PHONE["viewport"]["width"] // 2, PHONE["viewport"]["height"] - 5)
    page.wait_for_function("() => !document.querySelector('dialog.dl-zoom').open")
    assert not tab.outside


def test_the_keyboard_opens_and_escape_closes(offline_page):
    page = offline_page(**PHONE).open(CHAPTER, wait_for_maths=False, idle=False)
    figure = zoomable(page)
    figure.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('dialog.dl-zoom')?.open")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('dialog.dl-zoom').open")
    assert page.evaluate(STATE)["focused"].startswith("放大图片：")


def test_a_figure_shown_at_its_size_is_not_a_button(offline_page):
    page = offline_page(**DESKTOP).open("book/intro.html", wait_for_maths=False, idle=False)
    page.wait_for_load_state("load")
    # The preface's logo and the sidebar logo are not article figures.
    assert page.locator("img.dl-zoomable").count() == 0
