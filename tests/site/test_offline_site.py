"""Load the built site in headless Chromium with the network blocked.

Readers in mainland China often cannot reach public CDNs, so every page must
work from the site alone. Run after the book is built (``make test`` does both).
"""

from __future__ import annotations

import re

import pytest

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_site_has_pages(site_dir):
    assert (site_dir / "index.html").is_file(), "run `make book` first"
    chapters = [
        p for p in site_dir.rglob("*.html") if p.parent != site_dir and "_static" not in p.parts
    ]
    assert chapters, "the built site has no content pages"


def test_page_works_offline(offline_page, site_dir, content_page):
    relative = content_page
    offline = offline_page()
    page = offline.open(relative)

    text = page.inner_text("main")
    assert len(CJK.findall(text)) > 20, f"{relative}: little or no Chinese text in the page body"
    assert page.locator("h1").count() >= 1

    # Maths: nothing left untypeset, and typeset maths present where the source had any.
    raw = re.findall(r"\\\(|\\\[|\$\$", text)
    assert not raw, f"{relative}: raw TeX delimiters left in the page: {raw[:5]}"
    if (site_dir / relative).read_text(encoding="utf-8").count('class="math') > 0:
        assert page.locator("mjx-container").count() > 0, (
            f"{relative}: maths was not typeset by MathJax"
        )

    broken = page.evaluate(
        "() => Array.from(document.images)"
        ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
    )
    assert not broken, f"{relative}: images that did not load: {broken}"
    assert not offline.outside, f"{relative}: requests left the site: {offline.outside}"


@pytest.mark.parametrize("word", ["残差", "正规方程", "最小二乘", "最小二乘法的残差"])
def test_chinese_search_finds_words(offline_page, word):
    offline = offline_page()
    page = offline.open(f"search.html?q={word}")
    page.wait_for_selector("#search-results ul.search li", timeout=15000)
    hits = page.locator("#search-results ul.search li").count()
    assert hits >= 1, f"search for {word!r} found nothing"
    assert not offline.outside, f"search page requests left the site: {offline.outside}"
