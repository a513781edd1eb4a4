"""Shared fixtures for the browser checks of the built site.

The site is served on 127.0.0.1 and opened in the system Chromium through
playwright, with every other host blocked. ``DLNOTES_SITE`` points the checks
at another build folder (default ``_build/html``); ``DLNOTES_REQUIRE_BROWSER``
turns a missing browser into a failure instead of a skip (CI sets it).

Tests that take a ``content_page``, ``reader_page`` or ``site_page`` argument run
once per page: ``content_page`` is every chapter-like page, ``reader_page`` every
page a reader can see (all but redirect stubs such as index.html), ``site_page``
every HTML file, ``served_page`` every reader page but 404.html.
The ``report`` fixture collects tables (page weights, axe counts, ...) that are
printed at the end of the run, pass or fail.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
import unicodedata
from pathlib import Path

import pytest

from browser_env import BLOCK_OUTSIDE, chromium_path, skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("DLNOTES_SITE") or ROOT / "_build" / "html").resolve()
HOW_TO_INSTALL = (
    "Chromium is needed for the offline site check. Install it with "
    "`sudo apt-get install chromium` (Debian/Ubuntu) or set CHROMIUM=/path/to/chromium."
)
# Pages that Sphinx generates around the chapters.
GENERATED = {"genindex.html", "search.html", "prf-prf.html", "index.html"}


def site_pages() -> list[str]:
    """Every built HTML page, relative to the site root."""
    if not SITE.is_dir():
        return []
    return sorted(
        p.relative_to(SITE).as_posix()
        for p in SITE.rglob("*.html")
        if "_static" not in p.parts and "_sources" not in p.parts
    )


def content_pages() -> list[str]:
    return [p for p in site_pages() if Path(p).name not in GENERATED]


def is_redirect(relative: str) -> bool:
    head = (SITE / relative).read_text(encoding="utf-8")[:500].lower()
    return 'http-equiv="refresh"' in head and "<body" not in head


def reader_pages() -> list[str]:
    return [p for p in site_pages() if not is_redirect(p)]


def served_pages() -> list[str]:
    # 404.html is opened where it is published, under the site's path (test_complete.py).
    return [p for p in reader_pages() if p != "404.html"]


@pytest.fixture(scope="session")
def all_served_pages() -> list[str]:
    return served_pages()


def pytest_generate_tests(metafunc):
    for name, pages in (
        ("content_page", content_pages),
        ("reader_page", reader_pages),
        ("site_page", site_pages),
        ("served_page", served_pages),
    ):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, pages())


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # signature from the base class
        pass


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(
            f"no built site at {SITE}: run `make book` (or `make test`, which builds it) first"
        )
    return SITE


@pytest.fixture(scope="session")
def site_url(site_dir):
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        skip_or_fail(HOW_TO_INSTALL)
    try:
        from playwright import sync_api
    except ImportError:
        skip_or_fail("playwright is needed for the site check: `pip install -r requirements.txt`")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                # Nothing outside this machine may be contacted, even by Chromium's own services.
                BLOCK_OUTSIDE,
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

    def __init__(self, browser, site_url: str, **context_options):
        self.site_url = site_url
        self.outside: list[str] = []
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith((self.site_url + "/", "data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, relative: str, wait_for_maths: bool = True, idle: bool = True):
        """Load a page; ``idle=False`` skips waiting for 500 ms without requests (faster)."""
        self.page.goto(f"{self.site_url}/{relative}", wait_until="load")
        if idle:
            self.page.wait_for_load_state("networkidle")
        if wait_for_maths:
            wait_for_mathjax(self.page)
        return self.page

    def close(self):
        self.context.close()


def wait_for_mathjax(page):
    """Wait until MathJax (if the page loads it) has typeset everything."""
    page.wait_for_function(
        "() => !window.MathJax || (window.MathJax.startup && window.MathJax.startup.promise)"
    )
    page.evaluate(
        "() => window.MathJax && window.MathJax.startup ? window.MathJax.startup.promise : null"
    )


@pytest.fixture(scope="session")
def open_offline(browser, site_url):
    """Factory for pages that outlive one test (a module fixture); the caller closes them."""

    def make(**context_options) -> OfflinePage:
        return OfflinePage(browser, site_url, **context_options)

    return make


@pytest.fixture
def offline_page(open_offline):
    """Factory: ``offline_page(viewport={"width": 390, "height": 844})`` gives an OfflinePage."""
    opened: list[OfflinePage] = []

    def make(**context_options) -> OfflinePage:
        page = open_offline(**context_options)
        opened.append(page)
        return page

    yield make
    for page in opened:
        page.close()


_TABLES: list[tuple[str, list[str], list[list[object]]]] = []


@pytest.fixture(scope="session")
def report():
    """``report(title, header, rows)``: a table printed in the terminal summary."""

    def add(title: str, header: list[str], rows: list[list[object]]) -> None:
        _TABLES.append((title, header, rows))

    return add


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pytest_sessionfinish(session):
    # Under pytest-xdist, a worker hands its tables to the controller, which prints them.
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["dlnotes_tables"] = json.dumps(_TABLES, default=str)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    _TABLES.extend(json.loads(getattr(node, "workeroutput", {}).get("dlnotes_tables", "[]")))


def merged_tables(tables) -> list[tuple[str, list[str], list[list[object]]]]:
    """One table per title: the rows that the workers collected, each once, sorted."""
    merged: dict[str, tuple[list[str], list[list[str]]]] = {}
    for title, header, rows in tables:
        _, kept = merged.setdefault(title, (list(header), []))
        for row in rows:
            if [str(c) for c in row] not in kept:
                kept.append([str(c) for c in row])
    return [(title, header, sorted(rows)) for title, (header, rows) in merged.items()]


def pytest_terminal_summary(terminalreporter):
    for title, header, rows in merged_tables(_TABLES):
        cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
        widths = [max(_width(row[i]) for row in cells) for i in range(len(header))]
        terminalreporter.section(title)
        for index, row in enumerate(cells):
            line = "  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths))
            terminalreporter.write_line(line.rstrip())
            if index == 0:
                terminalreporter.write_line("  ".join("-" * w for w in widths))
