"""Accessibility and the Chinese interface, checked in headless Chromium.

axe-core (installed from npm into tests/site/node_modules by ``npm ci --prefix
tests/site``, never from a CDN) runs on every page, in the light and in the dark
colour mode. Any violation fails, whatever its impact (critical, serious,
moderate or minor); the counts per page are printed at the end. The same
pass checks for repeated ids, formulas that are Tab stops, and interface
strings (tooltips and accessible names included) that are not in Chinese.
A separate test checks that keyboard focus is always visible.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_env import skip_or_fail

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
HOW_TO_INSTALL_AXE = (
    "axe-core is needed for the accessibility check: run `npm ci --prefix tests/site`"
)
DESKTOP = {"width": 1280, "height": 900}
IMPACTS = ("critical", "serious", "moderate", "minor")
FAILING = IMPACTS
MODES = ("light", "dark")
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

RUN_AXE = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    examples: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + ": " +
      (n.failureSummary || "").split("\\n").slice(1, 2).join("").trim()),
  }));
}"""

SETTLED = (
    "() => document.fonts.ready.then(() => "
    "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))"
)

PAGE_CHECKS = r"""() => {
  const ids = {};
  for (const el of document.querySelectorAll("[id]")) ids[el.id] = (ids[el.id] || 0) + 1;
  const repeated = Object.entries(ids).filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
  // A formula may be a Tab stop only while its box scrolls (so that the keyboard can scroll it).
  const mathTabStops = Array.from(document.querySelectorAll("mjx-container, span.math"))
    .filter((m) => m.tabIndex >= 0 && m.scrollWidth <= m.clientWidth + 1).length;

  // Interface strings that are English (names of products, file types and keys aside).
  const ALLOWED = new RegExp("\\b(Binder|Colab|JupyterHub|Jupyter|GitHub|PDF|pdf|ipynb|md|zip|" +
    "Ctrl|Cmd|Python|PyTorch|MathJax|CC|BY|SA|MIT|Sphinx)\\b", "g");
  const english = (value) => {
    const rest = (value || "").replace(ALLOWED, "");
    return /[A-Za-z]{2,}/.test(rest) && !/[\u3400-\u9fff]/.test(rest);
  };
  // Chapter content is not interface: formulas, citations (their title is the reference), figures.
  const isContent = (el) => el.closest("mjx-container, math") ||
    (el.closest(".bd-article") &&
      (el.matches("a.reference:not(.headerlink), img") || el.closest("figure, .cell_output")));
  const english_ui = new Set();
  const ATTRIBUTES = ["title", "aria-label", "alt", "placeholder", "data-bs-title", "data-tooltip",
    "aria-description"];
  for (const el of document.querySelectorAll("*")) {
    if (isContent(el)) continue;
    for (const name of ATTRIBUTES) {
      const value = el.getAttribute(name);
      if (value && english(value))
        english_ui.add(`${el.tagName.toLowerCase()}[${name}="${value}"]`);
    }
  }
  const UI = ".bd-header, .bd-header-article, .bd-footer, .bd-footer-content, " +
             ".bd-footer-article, .prev-next-area, .admonition-title, .caption-number, " +
             "summary, .search-button__default-text, .dropdown-menu";
  for (const region of document.querySelectorAll(UI)) {
    const walker = document.createTreeWalker(region, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.data.trim();
      if (text && node.parentElement.closest("kbd, script, style") === null && english(text))
        english_ui.add(`text "${text}"`);
    }
  }
  for (const p of document.querySelectorAll(".proof > p:first-child")) {
    if (/^\s*Proof\b/.test(p.textContent))
      english_ui.add(`proof label "${p.textContent.trim().slice(0, 10)}"`);
  }
  const html = document.documentElement.outerHTML;
  for (const phrase of ["Your issue content here", "列印"])
    if (html.includes(phrase)) english_ui.add(`"${phrase}"`);
  return {repeated, mathTabStops, english: Array.from(english_ui),
          lang: document.documentElement.lang,
          theme: document.documentElement.dataset.theme};
}"""


@pytest.fixture(scope="session")
def axe_path() -> Path:
    if not AXE.is_file():
        skip_or_fail(HOW_TO_INSTALL_AXE)
    return AXE


@pytest.fixture(scope="module")
def axe_counts(report):
    counts: dict[str, dict[str, dict[str, int]]] = {}
    yield counts
    header = ["page"] + [f"{mode} {impact}" for mode in MODES for impact in IMPACTS]
    rows = [
        [page]
        + [counts[page].get(mode, {}).get(impact, "-") for mode in MODES for impact in IMPACTS]
        for page in sorted(counts)
    ]
    report(
        "axe-core 违规数 / axe-core violations per page (1280 px; dark: colour rules)", header, rows
    )


@pytest.fixture(scope="module")
def desktop(open_offline, axe_path):
    tab = open_offline(viewport=DESKTOP, color_scheme="light")
    tab.page.add_init_script("window.localStorage.setItem('theme', 'light')")
    yield tab
    tab.close()


NO_TRANSITIONS = (
    "*, *::before, *::after { transition: none !important; animation: none !important; }"
)


def set_mode(page, mode: str) -> None:
    # What the theme's colour switch does: every dark style hangs on <html data-theme="dark">.
    # Transitions are switched off first, so that axe sees the final colours, not a fade.
    page.add_style_tag(content=NO_TRANSITIONS)
    page.evaluate(
        "(mode) => { document.documentElement.dataset.theme = mode; "
        "document.documentElement.dataset.mode = mode; }",
        mode,
    )
    page.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


def run_axe(page, rules: list[str] | None) -> list[dict]:
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    return page.evaluate(RUN_AXE, options)


def test_page_is_accessible(desktop, axe_counts, axe_path, reader_page):
    page = desktop.open(reader_page, idle=False)
    # Let web fonts and the layout settle (formula boxes re-check their Tab stop on resize).
    page.evaluate(SETTLED)
    checks = page.evaluate(PAGE_CHECKS)
    assert checks["theme"] == "light", (
        f"{reader_page}: the page opened in {checks['theme']} mode, not light"
    )
    page.add_script_tag(path=str(axe_path))

    problems = []
    for mode in MODES:
        # The structure does not change with the colour mode, so the dark pass runs the colour
        # rules only.
        set_mode(page, mode)
        violations = run_axe(page, None if mode == "light" else COLOUR_RULES)
        tally = {impact: 0 for impact in IMPACTS}
        for violation in violations:
            tally[violation["impact"]] += violation["count"]
        axe_counts.setdefault(reader_page, {})[mode] = tally
        problems += [
            f"{mode}: {v['impact']} {v['id']} ({v['count']}×): {v['help']}\n      "
            + "\n      ".join(v["examples"])
            for v in violations
            if v["impact"] in FAILING
        ]
    if checks["repeated"]:
        problems.append(f"ids used more than once: {', '.join(checks['repeated'][:10])}")
    if checks["mathTabStops"]:
        problems.append(f"{checks['mathTabStops']} formulas that fit their box are Tab stops")
    if checks["english"]:
        problems.append("interface strings not in Chinese: " + "; ".join(checks["english"][:15]))
    if checks["lang"] != "zh-CN":
        problems.append(f'<html lang="{checks["lang"]}">, expected zh-CN')
    assert not problems, f"{reader_page}:\n  " + "\n  ".join(problems)
    assert not desktop.outside, f"{reader_page}: requests left the site: {desktop.outside}"


FOCUS_RING = """() => {
  const el = document.activeElement;
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
  // A box-shadow ring counts when it has a spread of at least 2 px and a visible colour.
  const shadow = s.boxShadow !== "none" && s.boxShadow.split(/,(?![^(]*\\))/).some((part) => {
    const lengths = part.replace(/rgba?\\([^)]*\\)/, "").trim().split(/\\s+/).map(parseFloat);
    const alpha = /rgba\\([^)]*,\\s*([\\d.]+)\\)/.exec(part);
    return lengths.length >= 4 && lengths[3] >= 2 && (!alpha || parseFloat(alpha[1]) > 0.5);
  });
  const name = el.getAttribute("aria-label") || el.getAttribute("title") ||
    el.textContent.trim().slice(0, 30);
  return {tag: el.tagName.toLowerCase(), name, shown: r.width > 0 && r.height > 0,
          ring: outline || shadow};
}"""


def test_keyboard_focus_is_always_visible(offline_page, site_dir):
    chapter = min(
        p.relative_to(site_dir).as_posix() for p in (site_dir / "notebooks").glob("*.html")
    )
    page = offline_page(viewport=DESKTOP).open(chapter)
    seen = []
    for _ in range(
        40
    ):  # the header, the chapter list, the article-header buttons and into the text
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_RING)
        if focus["tag"] == "body":
            break
        seen.append(focus)
    assert len(seen) >= 20, f"only {len(seen)} Tab stops before the focus left the page"
    hidden = [f"{f['tag']} {f['name']!r}" for f in seen if f["shown"] and not f["ring"]]
    assert not hidden, f"{chapter}: Tab stops without a visible focus ring: {hidden}"
