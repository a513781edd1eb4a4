"""Descriptions and ``og:`` metadata on every page, for search engines and link previews.

sphinxext-opengraph writes ``og:title``, ``og:type``, ``og:url``, ``og:site_name``,
``og:image`` and the custom ``og:locale`` for pages with a doctree. This extension adds:

* the description: the page's first paragraph as plain text (inline maths as its Unicode
  letters, cut at a sentence end), or ``site_description`` where a page has no paragraph. It
  becomes ``og:description`` (handed to sphinxext-opengraph as a page field) and
  ``<meta name="description">``;
* the whole set of tags for the pages Sphinx writes without a doctree (search, genindex, 404),
  which sphinxext-opengraph skips.

Nothing here fetches anything: every URL is built from ``html_baseurl`` (``ogp_site_url``
defaults to it).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from docutils import nodes
from docutils.utils.math import tex2unichar
from sphinx.application import Sphinx
from sphinx.locale import _

MAX_LENGTH = 150
SENTENCE_END = re.compile(r"[。！？]")
TEX_COMMAND = re.compile(r"\\([A-Za-z]+)")
TEX_LETTERS = {
    **tex2unichar.mathalpha,
    **tex2unichar.mathbin,
    **tex2unichar.mathrel,
    **tex2unichar.mathord,
    **tex2unichar.mathop,
}
SKIPPED = (nodes.Admonition, nodes.Invisible, nodes.container, nodes.table, nodes.topic)


def tex_to_text(tex: str) -> str:
    text = TEX_COMMAND.sub(lambda m: TEX_LETTERS.get(m[1], m[1]), tex)
    return re.sub(r"[{}\s]+", "", text.replace("\\", ""))


def paragraph_text(paragraph: nodes.paragraph) -> str:
    parts = []
    for node in paragraph.findall(nodes.Text):
        parent = node.parent
        parts.append(tex_to_text(str(node)) if isinstance(parent, nodes.math) else str(node))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def first_paragraph(doctree: nodes.document) -> str:
    for paragraph in doctree.findall(nodes.paragraph):
        if any(isinstance(a, SKIPPED) for a in iter_ancestors(paragraph)):
            continue
        text = paragraph_text(paragraph)
        if text:
            return text
    return ""


def iter_ancestors(node: nodes.Node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def shorten(text: str, limit: int = MAX_LENGTH) -> str:
    if len(text) <= limit:
        return text
    ends = [m.end() for m in SENTENCE_END.finditer(text, 0, limit)]
    if ends and ends[-1] >= limit // 3:
        return text[: ends[-1]]
    return text[: limit - 1] + "…"


def page_description(app: Sphinx, doctree) -> str:
    text = first_paragraph(doctree) if doctree is not None else ""
    return shorten(text) if text else app.config.site_description


def tag(kind: str, name: str, content: str) -> str:
    return f'<meta {kind}="{name}" content="{html.escape(content, quote=True)}" />'


def describe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Before sphinxext-opengraph (priority 500): hand it the description as a page field."""
    if app.builder.format != "html":
        return
    description = page_description(app, doctree)
    context["metatags"] = context.get("metatags", "") + tag("name", "description", description)
    context["site_meta_description"] = description
    if doctree is not None:
        # sphinxext-opengraph escapes only '"' in page fields; the rest is escaped here.
        meta = dict(context.get("meta") or {})
        meta["og:description"] = html.escape(description, quote=False)
        context["meta"] = meta


def complete(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """After sphinxext-opengraph: the same tags for pages without a doctree."""
    if app.builder.format != "html" or doctree is not None:
        return
    config = app.config
    site_url = config.ogp_site_url or config.html_baseurl
    # The search and index templates set their titles themselves, after this event.
    fallback = {"search": _("Search"), "genindex": _("Index")}.get(pagename, config.html_title)
    title = re.sub(r"<[^>]+>", "", context.get("title") or str(fallback))
    tags = {
        "og:title": html.unescape(title),
        "og:type": config.ogp_type,
        "og:url": urljoin(site_url, app.builder.get_target_uri(pagename)),
        "og:site_name": config.ogp_site_name or config.project,
        "og:description": context.get("site_meta_description", config.site_description),
    }
    if config.ogp_image:
        tags["og:image"] = urljoin(site_url, config.ogp_image)
        tags["og:image:alt"] = config.ogp_image_alt or config.project
    lines = [tag("property", name, content) for name, content in tags.items()]
    context["metatags"] = (
        context.get("metatags", "") + "\n".join([*lines, *config.ogp_custom_meta_tags]) + "\n"
    )


def use_baseurl(app: Sphinx, config) -> None:
    # One place for the site's URL: html_baseurl (html.baseurl in _config.yml).
    if not config.ogp_site_url and config.html_baseurl:
        config.ogp_site_url = config.html_baseurl
    # Jupyter Book sets the book's title as html_title and leaves Sphinx's project unset.
    if config.ogp_site_name is None:
        config.ogp_site_name = config.html_title or config.project


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("sphinxext.opengraph")
    app.connect("config-inited", use_baseurl)
    app.add_config_value("site_description", "", "html", types=frozenset({str}))
    app.connect("html-page-context", describe, priority=400)
    app.connect("html-page-context", complete, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
