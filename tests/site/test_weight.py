"""Light pages: what each page transfers in Chromium, uncompressed, and which files it loads.

A page may transfer at most 1.5 MB besides its own figures (``/_images/``); the icon font's
script and the search index load only where they are needed; every MathJax file the site
ships is loaded by some page, and no request fails (a formula that needs a font or TeX
extension the build pruned shows up here). The table of bytes per page is printed at the end
of the run. The trimming itself is done by ``book/_ext/light_pages.py``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

BUDGET = 1_500_000  # bytes per page, not counting the page's own figures
SETTLED = """async () => {
  if (window.MathJax && window.MathJax.startup) await window.MathJax.startup.promise;
  await document.fonts.ready;
}"""


def measure(open_offline, relative: str) -> dict:
    """Load one page in a fresh browser context (nothing cached) and record its requests."""
    tab = open_offline(viewport={"width": 1280, "height": 900})
    finished, failed = [], []
    tab.page.on("requestfinished", lambda r: finished.append(r))
    tab.page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    try:
        page = tab.open(relative, wait_for_maths=False)
        page.evaluate(SETTLED)
        page.wait_for_load_state("networkidle")
        files: dict[str, int] = {}
        for request in finished:
            response = request.response()
            if response is None:
                continue
            if response.status >= 400:
                failed.append(f"{request.url} (HTTP {response.status})")
                continue
            path = urlparse(request.url).path
            try:
                files[path] = files.get(path, 0) + len(response.body())
            except Exception:  # a redirect has no body
                files.setdefault(path, 0)
        return {"files": files, "failed": failed, "outside": list(tab.outside)}
    finally:
        tab.close()


@pytest.fixture(scope="module")
def weights(open_offline, report):
    """``weights(page)``: the page's requests, measured once; the table is printed at the end."""
    measured: dict[str, dict] = {}

    def get(relative: str) -> dict:
        if relative not in measured:
            measured[relative] = measure(open_offline, relative)
        return measured[relative]

    yield get
    rows = []
    for relative, m in sorted(measured.items()):
        figures = sum(n for path, n in m["files"].items() if path.startswith("/_images/"))
        total = sum(m["files"].values())
        largest = max((p for p in m["files"] if not p.startswith("/_images/")), key=m["files"].get)
        rows.append(
            [
                relative,
                len(m["files"]),
                f"{total / 1e3:.0f}",
                f"{figures / 1e3:.0f}",
                f"{(total - figures) / 1e3:.0f}",
                f"{Path(largest).name} {m['files'][largest] / 1e3:.0f}",
            ]
        )
    report(
        "页面传输量 / bytes per page in Chromium, uncompressed, kB (at most 1500 besides figures)",
        ["page", "requests", "total", "figures", "rest", "largest file"],
        rows,
    )


def test_page_is_light(weights, served_page):
    relative = served_page
    m = weights(relative)
    assert not m["failed"], f"{relative}: requests failed: {m['failed']}"
    assert not m["outside"], f"{relative}: requests left the site: {m['outside']}"
    rest = sum(n for path, n in m["files"].items() if not path.startswith("/_images/"))
    heaviest = sorted(m["files"].items(), key=lambda item: -item[1])[:5]
    assert rest <= BUDGET, (
        f"{relative}: {rest} bytes besides its figures, more than {BUDGET}; heaviest: {heaviest}"
    )
    names = {Path(path).name for path in m["files"]}
    assert "fontawesome.js" not in names, f"{relative}: loads the 1.45 MB icon script"
    if relative != "search.html":
        assert "searchindex.js" not in names, f"{relative}: loads the search index"
    else:
        assert "searchindex.js" in names, "search.html does not load the search index"


def test_every_shipped_mathjax_file_is_loaded_by_some_page(weights, site_dir, all_served_pages):
    root = site_dir / "_static" / "mathjax"
    shipped = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    prefix = "/_static/mathjax/"
    loaded = {
        path[len(prefix) :]
        for relative in all_served_pages
        for path in weights(relative)["files"]
        if path.startswith(prefix)
    }
    assert loaded <= shipped, f"pages load MathJax files the site lacks: {sorted(loaded - shipped)}"
    assert shipped <= loaded, (
        "the site ships MathJax files no page loads (drop them in book/_ext/light_pages.py): "
        f"{sorted(shipped - loaded)}"
    )
