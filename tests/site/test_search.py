"""Search that finds: a reader types a term into the search page and the chapter that teaches
it comes first; single characters find pages; snippets are prose, each page listed once.

The ranking lives in ``book/_ext/zh_search.py`` and ``book/_ext/static/zh-search.js``. The
chapters expected here are written out by hand (where each term is taught), not read from the
glossary map that the ranking itself uses.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest

from source_modules import load_source

ROOT = Path(__file__).resolve().parents[2]
# Query -> the chapter that teaches it.
TEACHES = {
    "最小二乘": "least_squares",
    "反向传播": "backpropagation",
    "卷积核": "tensors_convolution",
    "学习率": "gradient_descent",
    "梯度下降": "gradient_descent",
    "过拟合": "generalization",
    "池化": "cnn_layers",
    "交并比": "detection_metrics",
    "卷积": "tensors_convolution",
}
SINGLE_CHARACTERS = ["率", "核", "池"]
# What a snippet must not show: TeX, Markdown, navigation and download labels.
NOT_PROSE = re.compile(r"\\\(|\\\[|\\[a-zA-Z]+\{|\$|\*\*|目录|\.pdf|\.ipynb|Skip to|搜索页")


def test_glossary_map_agrees_with_the_glossary_parser(site_dir):
    """The map the search page ranks by names the chapters that tools/glossary.py reads."""
    glossary = load_source("tools/glossary.py", "glossary_tool")
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    page = (site_dir / "search.html").read_text(encoding="utf-8")
    found = re.search(r"const ZH_SEARCH_HOMES = (\{.*?\});</script>", page)
    assert found, "search.html does not carry the ZH_SEARCH_HOMES map"
    homes = json.loads(found.group(1))
    expected = {
        e.term.lower(): list(dict.fromkeys(posixpath.normpath("book/" + d) for d in e.docs))
        for e in glossary.parse_glossary(text)
        if e.docs
    }
    assert homes == expected
    assert homes["卷积核"] == ["notebooks/tensors_convolution"]


def search(offline, query: str) -> list[dict]:
    """Type ``query`` into the search page's box, press Enter and read the result list."""
    page = offline.open("search.html", wait_for_maths=False, idle=False)
    box = page.locator(".bd-search-container input[type=search]")
    box.fill(query)
    box.press("Enter")
    page.wait_for_function(
        "() => (document.querySelector('#search-results p.search-summary') || {}).textContent",
        timeout=20000,
    )
    return page.evaluate(
        """() => [...document.querySelectorAll('#search-results ul.search > li')].map((li) => {
          const a = li.querySelector('a');
          return {href: a.getAttribute('href'), title: a.textContent,
                  snippet: (li.querySelector('p.context') || {textContent: ''}).textContent};
        })"""
    )


def chapter_of(href: str) -> str:
    return Path(href.split("#", 1)[0]).stem


@pytest.fixture(scope="module")
def results(open_offline, report):
    """Every query's results, searched once; the ranks are printed at the end of the run."""
    offline = open_offline(viewport={"width": 1280, "height": 900})
    found = {q: search(offline, q) for q in [*TEACHES, *SINGLE_CHARACTERS]}
    outside = list(offline.outside)
    offline.close()
    rows = []
    for query, items in found.items():
        chapters = [chapter_of(i["href"]) for i in items]
        want = TEACHES.get(query, "")
        rank = chapters.index(want) + 1 if want in chapters else "-"
        rows.append(
            [query, want or "(单字)", rank if want else "", len(items), " ".join(chapters[:3])]
        )
    report(
        "搜索排名 / search: rank of the chapter that teaches each term",
        ["query", "teaching chapter", "rank", "hits", "first three"],
        rows,
    )
    return found, outside


@pytest.mark.parametrize("query", TEACHES)
def test_the_teaching_chapter_comes_first(results, query):
    found, outside = results
    chapters = [chapter_of(i["href"]) for i in found[query]]
    assert chapters, f"search for {query!r} found nothing"
    assert chapters[0] == TEACHES[query], (
        f"search for {query!r}: {TEACHES[query]} should come first, got {chapters[:5]}"
    )
    assert not outside, f"the search page requested outside the site: {outside}"


@pytest.mark.parametrize("query", SINGLE_CHARACTERS)
def test_a_single_character_finds_pages(results, query):
    found, _ = results
    assert len(found[query]) >= 2, f"search for the single character {query!r}: {found[query]}"
    for item in found[query][:5]:
        assert query in item["title"] + item["snippet"], (
            f"search for {query!r}: neither the title nor the snippet of {item['href']} shows it"
        )


@pytest.mark.parametrize("query", [*TEACHES, *SINGLE_CHARACTERS])
def test_each_page_once_with_a_prose_snippet(results, query):
    found, _ = results
    pages = [i["href"].split("#", 1)[0] for i in found[query]]
    twice = sorted({p for p in pages if pages.count(p) > 1})
    assert not twice, f"search for {query!r} lists these pages more than once: {twice}"
    for item in found[query]:
        snippet = item["snippet"]
        assert snippet.strip(), f"search for {query!r}: {item['href']} has no snippet"
        assert not NOT_PROSE.search(snippet), (
            f"search for {query!r}: the snippet of {item['href']} is not prose: {snippet!r}"
        )


def test_a_site_opened_from_disk_still_ranks_the_teaching_chapter_first(browser, site_dir):
    """From file:// the browser refuses to fetch pages for snippets; the ranking must still hold."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((site_dir / "search.html").as_uri() + "?q=学习率")
        page.wait_for_function(
            "() => (document.querySelector('#search-results p.search-summary') || {}).textContent",
            timeout=20000,
        )
        hrefs = page.eval_on_selector_all(
            "#search-results ul.search > li > a",
            "(links) => links.map((a) => a.getAttribute('href'))",
        )
    finally:
        context.close()
    assert hrefs and chapter_of(hrefs[0]) == TEACHES["学习率"], (
        f"opened from disk, a search for 学习率 lists {[chapter_of(h) for h in hrefs[:5]]}"
    )


ICON_GAP = """(form) => {
  const icon = form.querySelector('.fa-magnifying-glass').getBoundingClientRect();
  const input = form.querySelector('input');
  const box = input.getBoundingClientRect();
  return box.left + parseFloat(getComputedStyle(input).paddingLeft) - icon.right;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_magnifier_does_not_cover_the_typed_text(offline_page, width):
    tab = offline_page(viewport={"width": width, "height": 900})
    page = tab.open("search.html", wait_for_maths=False, idle=False)
    page.evaluate("() => document.fonts.ready")
    gap = page.locator(".bd-search-container form.bd-search").evaluate(ICON_GAP)
    assert gap >= 0, f"at {width} px the search page's magnifier covers {-gap:.0f} px of the text"
    page = tab.open("notebooks/least_squares.html", wait_for_maths=False, idle=False)
    page.keyboard.press("Control+k")
    page.wait_for_selector("#pst-search-dialog[open]")
    gap = page.locator("#pst-search-dialog form.bd-search").evaluate(ICON_GAP)
    assert gap >= 0, f"at {width} px the search dialog's magnifier covers {-gap:.0f} px of the text"
