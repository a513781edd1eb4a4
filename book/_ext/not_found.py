"""A Chinese 404 page (``404.html``) that works at any depth of URL.

GitHub Pages answers every missing path of the site, ``/deep-learning-basics/a/b/c``
included, with the site's ``404.html``, so the page's relative links (``_static/…``,
``book/intro.html``) would resolve against the wrong folder. sphinx-notfound-page solves this
by writing absolute links with one fixed prefix, but then the page breaks wherever the site is
served from another path: at ``/`` by the browser checks, or in a local preview.

Here the page keeps Sphinx's relative links, and ``<base href>``, first in ``<head>`` before
any style sheet, points them at the site root: the path of ``html_baseurl``. It has to be in
the markup: the browser's preload scanner fetches style sheets and scripts before any script
runs, and would fetch them from the wrong folder (two dozen 404 requests) if a script set the
base. A small inline script before it writes a base of its own, which wins, where the page is
served from elsewhere: ``/`` when the URL does not start with that path (the browser checks, a
local preview), the page itself when opened from disk. Links to anchors on the page are then
rewritten, since a base would send them to the root.

The page itself is rendered by the theme's ``page.html`` with the site's navigation, from the
body below: where to go home, a link to the search page, and a search box.
"""

from __future__ import annotations

import html
import json
from urllib.parse import urlparse

from sphinx.application import Sphinx

PAGENAME = "404"
TITLE = "页面未找到"
BODY = """
<section id="page-not-found">
<h1>{title}</h1>
<p>抱歉，您要访问的页面不存在。它可能已经改名或移动，也可能是网址输错了。</p>
<ul>
<li><a href="{home}">返回首页</a>，从章节目录中找到您要读的内容；</li>
<li>到<a href="{search}">搜索页</a>用关键词查找，或直接在下面搜索。</li>
</ul>
<form class="not-found-search" action="{search}" method="get" role="search">
<label for="not-found-query">搜索本书</label>
<input type="search" id="not-found-query" name="q" placeholder="例如：卷积、梯度下降" />
<button type="submit">搜索</button>
</form>
</section>
"""
# Before anything in <head> that loads a file. ES5, so that old phone browsers run it too.
BASE_SCRIPT = """<script>(function () {
  var prefix = %(prefix)s, path = location.pathname;
  var here = location.href.replace(/"/g, "%%22");
  if (location.protocol === "file:") document.write('<base href="' + here + '">');
  else if (path.indexOf(prefix) !== 0) document.write('<base href="/">');
  document.addEventListener("DOMContentLoaded", function () {
    var here = location.href.split("#")[0];
    var links = document.querySelectorAll('a[href^="#"]');
    for (var i = 0; i < links.length; i++) links[i].href = here + links[i].getAttribute("href");
  });
})();</script>
<base href="%(base)s" />
"""


def site_path(baseurl: str) -> str:
    """The path part of the site's URL, with a slash at both ends ("/" when there is none)."""
    path = urlparse(baseurl or "").path or "/"
    return path if path.endswith("/") else path + "/"


def collect_pages(app: Sphinx):
    if app.builder.format != "html" or getattr(app.builder, "embedded", False):
        return []
    builder = app.builder
    body = BODY.format(
        title=TITLE,
        home=builder.get_relative_uri(PAGENAME, app.config.root_doc),
        search=builder.get_relative_uri(PAGENAME, "search"),
    )
    return [(PAGENAME, {"title": TITLE, "body": body}, "page.html")]


def add_base_script(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename != PAGENAME:
        return
    # "metatags" come right after <meta charset>, before the title, scripts and style sheets.
    prefix = site_path(app.config.html_baseurl)
    script = BASE_SCRIPT % {"prefix": json.dumps(prefix), "base": html.escape(prefix)}
    context["metatags"] = script + context.get("metatags", "")
    # Nothing to show in the page-contents sidebar, nor a source to download or edit.
    context["display_toc"] = False
    context["sourcename"] = ""


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("html-collect-pages", collect_pages)
    # Before the other extensions add their tags, so that the script comes first.
    app.connect("html-page-context", add_base_script, priority=300)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
