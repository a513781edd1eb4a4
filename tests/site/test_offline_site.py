"""Load the built site in headless Chromium with the network blocked.

Readers in mainland China often cannot reach public CDNs, so every page must
work from the site alone. Run after the book is built (``make test`` does both).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
HOW_TO_INSTALL = (
    "Chromium is needed for the offline site check. Install it with "
    "`sudo apt-get install chromium` (Debian/Ubuntu) or set CHROMIUM=/path/to/chromium."
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def content_pages() -> list[Path]:
    skip = {"genindex.html", "search.html", "prf-prf.html", "index.html"}
    return sorted(p for p in SITE.rglob("*.html") if p.name not in skip and "_static" not in p.parts)


@pytest.fixture(scope="module")
def site_url():
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE}: run `make book` (or `make test`, which builds it) first")
    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("DLNOTES_REQUIRE_BROWSER"):
            pytest.fail(HOW_TO_INSTALL)
        pytest.skip(HOW_TO_INSTALL)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                # Nothing outside this machine may be contacted, even by Chromium's own services.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-pings",
            ],
        )
        yield browser
        browser.close()


class OfflinePage:
    """A page whose requests to any host but the site are recorded and aborted."""

    def __init__(self, browser, site_url: str):
        self.site_url = site_url
        self.outside: list[str] = []
        self.page = browser.new_page()
        self.page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.site_url + "/") or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, relative: str):
        self.page.goto(f"{self.site_url}/{relative}", wait_until="load")
        self.page.wait_for_load_state("networkidle")
        return self.page


def test_site_has_pages():
    assert (SITE / "index.html").is_file(), "run `make book` first"
    assert content_pages(), "the built site has no content pages"


@pytest.mark.parametrize("relative", [p.relative_to(SITE).as_posix() for p in content_pages()] if SITE.is_dir() else [])
def test_page_works_offline(browser, site_url, relative):
    offline = OfflinePage(browser, site_url)
    page = offline.open(relative)
    page.wait_for_function("() => !window.MathJax || (window.MathJax.startup && window.MathJax.startup.promise)")
    page.evaluate("() => window.MathJax && window.MathJax.startup ? window.MathJax.startup.promise : null")

    text = page.inner_text("main")
    assert len(CJK.findall(text)) > 20, f"{relative}: little or no Chinese text in the page body"
    assert page.locator("h1").count() >= 1

    # Maths: nothing left untypeset, and typeset maths present where the source had any.
    raw = re.findall(r"\\\(|\\\[|\$\$", text)
    assert not raw, f"{relative}: raw TeX delimiters left in the page: {raw[:5]}"
    if (SITE / relative).read_text(encoding="utf-8").count('class="math') > 0:
        assert page.locator("mjx-container").count() > 0, f"{relative}: maths was not typeset by MathJax"

    broken = page.evaluate(
        "() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
    )
    assert not broken, f"{relative}: images that did not load: {broken}"
    assert not offline.outside, f"{relative}: requests left the site: {offline.outside}"
    offline.page.close()


@pytest.mark.parametrize("word", ["残差", "正规方程", "最小二乘", "最小二乘法的残差"])
def test_chinese_search_finds_words(browser, site_url, word):
    offline = OfflinePage(browser, site_url)
    page = offline.open(f"search.html?q={word}")
    page.wait_for_selector("#search-results ul.search li", timeout=15000)
    hits = page.locator("#search-results ul.search li").count()
    assert hits >= 1, f"search for {word!r} found nothing"
    assert not offline.outside, f"search page requests left the site: {offline.outside}"
    offline.page.close()
