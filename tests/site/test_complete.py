"""The pieces a finished site has: a 404 page, a favicon and a logo, page metadata, a sitemap,
and no JavaScript errors.

* 404: GitHub Pages answers any missing path of the site with ``404.html``. The page is served
  here the same way, under the site's path (from ``html.baseurl``) and at several depths, and
  must load its style sheets, scripts and logo, and link home and to the search page.
* No page logs a console error or throws. ``404.html`` is opened where it is published, under
  the site's path; opened elsewhere (a local preview at ``/``) it works, but the browser's
  preload scanner first asks for its files under the site's path (see book/_ext/not_found.py).
* Metadata and the sitemap are read from the built HTML: no browser needed.
"""

from __future__ import annotations

import functools
import html
import http.server
import re
import threading
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
BASEURL = CONFIG["html"]["baseurl"]
SITE_PATH = urlparse(BASEURL).path
TITLE = CONFIG["title"]
LOCALE = CONFIG["sphinx"]["config"]["language"]
SITE_DESCRIPTION = CONFIG["sphinx"]["config"]["site_description"]
# Pages a reader never lands on from a search engine.
NOT_IN_SITEMAP = {"search.html", "genindex.html", "404.html"}
CJK = re.compile(r"[\u4e00-\u9fff]")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def html_files(site_dir: Path) -> list[str]:
    return sorted(
        p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*.html")
        if "_static" not in p.parts and "_sources" not in p.parts
    )


def is_redirect(site_dir: Path, relative: str) -> bool:
    head = (site_dir / relative).read_text(encoding="utf-8")[:500].lower()
    return 'http-equiv="refresh"' in head and "<body" not in head


def wait_for_mathjax(page) -> None:
    page.wait_for_function(
        "() => !window.MathJax || (window.MathJax.startup && window.MathJax.startup.promise)"
    )
    page.evaluate(
        "() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise"
    )


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under ``prefix`` and answers a missing path with 404.html, as GitHub
    Pages does."""

    prefix = "/"

    def log_message(self, format, *args):  # signature from the base class
        pass

    def translate_path(self, path):
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "no such file")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve(site_dir: Path, prefix: str):
    handler_class = type("Handler", (PagesHandler,), {"prefix": prefix})
    handler = functools.partial(handler_class, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def pages_url(site_dir):
    """The site as GitHub Pages serves it: under its path, with 404.html for missing paths."""
    server, origin = serve(site_dir, SITE_PATH)
    yield origin + SITE_PATH
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def root_url(site_dir):
    """The same at / (a local preview)."""
    server, origin = serve(site_dir, "/")
    yield origin + "/"
    server.shutdown()
    server.server_close()


class WatchedPage:
    """A page on ``origin`` that records console errors, uncaught exceptions, failed requests
    and requests to any other host (which are aborted)."""

    def __init__(self, browser, origin: str, **context_options):
        self.origin = origin
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        self.page.on("requestfailed", self._failed)
        self.page.on(
            "response",
            lambda r: self.failed.append(f"{r.url} ({r.status})") if r.status >= 400 else None,
        )
        self.page.route("**/*", self._route)

    def _failed(self, request):
        # net::ERR_ABORTED is a request the browser cancelled itself (a font or the favicon still
        # loading when the layout settled, on a busy machine), not a file that is missing: that
        # answers 404 (recorded below). Whether the 404 page's files load is checked directly.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.failed.append(f"{request.url} ({request.failure})")

    def _console(self, message):
        if message.type == "error":
            where = message.location.get("url", "")
            self.errors.append(f"{message.text} [{where}]" if where else message.text)

    def _route(self, route):
        url = route.request.url
        if url.startswith((self.origin, "data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, url: str):
        response = self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")
        wait_for_mathjax(self.page)
        return response

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser):
    opened: list[WatchedPage] = []

    def make(url: str, **context_options) -> WatchedPage:
        parts = urlparse(url)
        page = WatchedPage(browser, f"{parts.scheme}://{parts.netloc}/", **context_options)
        opened.append(page)
        return page

    yield make
    for page in opened:
        page.close()


# --- No JavaScript errors --------------------------------------------------------------------


def test_page_logs_no_javascript_error(watched, site_url, pages_url, site_page):
    # 404.html is opened where it is published; every other page from the checks' own server.
    url = (pages_url if site_page == "404.html" else site_url + "/") + site_page
    page = watched(url, viewport={"width": 1280, "height": 900})
    page.open(url)
    # Let the deferred scripts finish their work after MathJax (math_scroll.js, print.js).
    page.page.evaluate("() => new Promise((done) => setTimeout(done, 200))")
    assert not page.errors, f"{site_page}: console errors:\n  " + "\n  ".join(page.errors)
    assert not page.failed, f"{site_page}: failed requests:\n  " + "\n  ".join(page.failed)
    assert not page.outside, f"{site_page}: requests left the site: {page.outside}"


def test_no_inline_script_declares_a_name_twice(site_dir):
    """A `const` declared twice (sphinx-thebe's THEBE_JS_URL was) is a SyntaxError on every
    page."""
    declaration = re.compile(r"\b(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=")
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)
    problems = []
    for relative in html_files(site_dir):
        text = (site_dir / relative).read_text(encoding="utf-8")
        names = [n for script in inline.findall(text) for n in declaration.findall(script)]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            problems.append(f"{relative}: {', '.join(repeated)}")
    assert not problems, "names declared twice in inline scripts:\n  " + "\n  ".join(problems)


# --- 404 -------------------------------------------------------------------------------------

MISSING = ["404.html", "no-such-page.html", "notebooks/no-such-chapter.html", "a/b/c/d/e"]


@pytest.mark.parametrize("missing", MISSING)
def test_404_page_works_at_any_depth(watched, pages_url, missing):
    url = pages_url + missing
    page = watched(url, viewport={"width": 1280, "height": 900})
    response = page.open(url)
    expected_status = 200 if missing == "404.html" else 404
    assert response.status == expected_status, f"{url}: status {response.status}"
    check_404_page(page, pages_url, url)
    # The page's own 404 status is the only failure allowed: every file it uses loads.
    own = [f for f in page.failed if not f.startswith(url + " ")]
    assert not own, f"{url}: files of the 404 page that did not load:\n  " + "\n  ".join(own)
    errors = [e for e in page.errors if not e.endswith(f"[{url}]")]
    assert not errors, f"{url}: console errors:\n  " + "\n  ".join(errors)
    assert not page.outside, f"{url}: requests left the site: {page.outside}"


def test_404_page_works_at_the_root_too(watched, root_url):
    """Served at / (a local preview), the page still finds its files and links."""
    url = root_url + "x/y/no-such-page.html"
    page = watched(url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    assert page.open(url).status == 404
    check_404_page(page, root_url, url)
    assert not page.outside, f"{url}: requests left the site: {page.outside}"


def check_favicon_loads(page: WatchedPage, url: str) -> None:
    status = page.page.evaluate(
        """() => fetch(document.querySelector('link[rel="icon"]').href, {cache: "no-store"})
          .then((r) => r.status)"""
    )
    assert status == 200, f"{url}: the favicon answered HTTP {status}"


def check_404_page(page: WatchedPage, site: str, url: str) -> None:
    p = page.page
    check_favicon_loads(page, url)
    assert p.locator("#page-not-found h1").inner_text().strip() == "页面未找到"
    assert len(CJK.findall(p.inner_text("main"))) > 20, f"{url}: little Chinese text"
    state = p.evaluate(
        """() => ({
          sheets: Array.from(document.querySelectorAll('link[rel="stylesheet"]'))
            .filter((l) => !l.sheet).map((l) => l.href),
          // Sphinx declares it with const: a global, but not a property of window.
          scripts: typeof DOCUMENTATION_OPTIONS === "object",
          images: Array.from(document.images)
            .filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.src),
          logo: document.querySelectorAll("img.logo__image").length,
          sidebar: getComputedStyle(document.querySelector(".bd-sidebar-primary")).position,
          anchors: Array.from(document.querySelectorAll("a[href]"))
            .filter((a) => a.getAttribute("href").startsWith("#")).length,
          skip: (document.querySelector("a.skip-link") || {}).href,
        })"""
    )
    assert not state["sheets"], f"{url}: style sheets that did not load: {state['sheets']}"
    assert state["scripts"], f"{url}: the site's scripts did not run"
    assert not state["images"], f"{url}: images that did not load: {state['images']}"
    assert state["logo"] >= 1, f"{url}: no logo"
    assert state["sidebar"] != "static", f"{url}: the theme's layout did not apply"
    # In-page links stay on the page instead of following the base to the root.
    assert not state["anchors"], f"{url}: in-page links left relative to the base"
    if state["skip"]:
        assert state["skip"].startswith(url.split("#")[0]), state["skip"]

    home = p.get_by_role("link", name="返回首页")
    assert home.count() == 1, f"{url}: no link home"
    search = p.locator("main").get_by_role("link", name="搜索页")
    assert search.count() == 1, f"{url}: no link to the search page"
    assert search.evaluate("(a) => a.href") == site + "search.html"
    with p.expect_navigation():
        home.click()
    assert p.url == site + "book/intro.html", f"{url}: 返回首页 went to {p.url}"
    assert p.locator("h1").count() >= 1
    p.go_back()
    p.get_by_label("搜索本书", exact=True).fill("卷积")
    with p.expect_navigation():
        p.locator("form.not-found-search button[type=submit]").click()
    assert p.url.startswith(site + "search.html?q="), f"{url}: the search box went to {p.url}"


# --- Favicon, logo, metadata -----------------------------------------------------------------


class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.images: list[dict[str, str]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = attributes.get("property") or attributes.get("name")
            if key:
                self.meta.setdefault(key, []).append(attributes.get("content", ""))
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "img":
            self.images.append(attributes)
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(site_dir: Path, relative: str) -> HeadParser:
    parser = HeadParser()
    parser.feed((site_dir / relative).read_text(encoding="utf-8"))
    return parser


def text_of(site_dir: Path, relative: str) -> str:
    page = (site_dir / relative).read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def test_favicon_and_logo_files(site_dir):
    favicon = site_dir / "_static" / "favicon.png"
    data = favicon.read_bytes()
    assert data.startswith(PNG_SIGNATURE), "favicon.png is not a PNG"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (64, 64), f"favicon.png is {width}×{height}"
    logo = (site_dir / "_static" / "logo.svg").read_text(encoding="utf-8")
    assert logo.startswith("<svg") and "<text" not in logo, "logo.svg: text needs a font"
    assert (site_dir / "_static" / "logo.png").read_bytes().startswith(PNG_SIGNATURE)


def test_page_has_favicon_logo_and_metadata(site_dir, reader_page):
    relative = reader_page
    head = parse(site_dir, relative)
    depth = "../" * relative.count("/")

    icons = [link["href"] for link in head.links if link.get("rel") == "icon"]
    assert icons == [f"{depth}_static/favicon.png"], f"{relative}: favicon links {icons}"
    logos = [i for i in head.images if "logo__image" in i.get("class", "")]
    assert logos and all(i["src"] == f"{depth}_static/logo.svg" for i in logos), relative
    assert all(i.get("alt") for i in logos), f"{relative}: the logo has no alt text"

    def one(key: str) -> str:
        values = head.meta.get(key, [])
        assert len(values) == 1, f"{relative}: {key} appears {len(values)} times"
        return values[0]

    title = re.sub(rf"\s*[—–-]\s*{re.escape(TITLE)}\s*$", "", head.title.strip())
    assert one("og:title") == title, f"{relative}: og:title {one('og:title')!r}, title {title!r}"
    assert one("og:type") in ("website", "article")
    assert one("og:url") == BASEURL + relative
    assert one("og:image") == BASEURL + "_static/logo.png"
    assert one("og:image:alt")
    assert one("og:locale") == LOCALE
    assert one("og:site_name") == TITLE

    description = one("description")
    assert one("og:description") == description, f"{relative}: two different descriptions"
    assert 20 <= len(description) <= 160 and CJK.search(description), (
        f"{relative}: description {description!r}"
    )
    assert "\\" not in description and "$" not in description, (
        f"{relative}: TeX in the description: {description!r}"
    )
    if Path(relative).name not in NOT_IN_SITEMAP:
        # A chapter describes itself: the description is the start of its first paragraph.
        assert description != SITE_DESCRIPTION, f"{relative}: only the site description"
        start = description[:20]
        assert start in re.sub(r"\s+", " ", text_of(site_dir, relative)), (
            f"{relative}: the description {start!r}… is not text of the page"
        )


# --- Sitemap ---------------------------------------------------------------------------------


def test_sitemap_lists_every_page(site_dir):
    sitemap = site_dir / "sitemap.xml"
    assert sitemap.is_file(), "no sitemap.xml in the site"
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.parse(sitemap).getroot()
    listed = [loc.text for loc in root.findall("s:url/s:loc", namespace)]
    assert len(listed) == len(set(listed)), "pages listed twice in sitemap.xml"
    expected = {
        BASEURL + p
        for p in html_files(site_dir)
        if Path(p).name not in NOT_IN_SITEMAP and not is_redirect(site_dir, p)
    }
    assert expected, "no pages to list"
    assert set(listed) == expected, (
        f"missing: {sorted(expected - set(listed))}; extra: {sorted(set(listed) - expected)}"
    )
    assert all(url.startswith("https://") for url in listed)
