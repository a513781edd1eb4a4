"""Chinese search that finds the chapter a reader means.

Sphinx's Chinese search (with jieba) indexes words of two or more characters
and the browser splits a query only at spaces, so 过拟合 (indexed as 过 + 拟合)
or 率 found the wrong pages or nothing. This extension changes three things:

* index: besides jieba's search-mode words, every Chinese character is indexed,
  so any query can be matched and a single character finds pages;
* query: a run of Chinese text is cut into the longest terms present in the
  index (greedy longest match); nothing the reader typed is dropped;
* ranking and snippets (``static/zh-search.js``, search page only): the pages
  the index returns are fetched once (Sphinx fetches them for snippets anyway)
  and ranked by where the exact phrase appears: in the chapter title, in
  section headings, where a term is introduced (术语（English…）or bold),
  then how often. Each page is listed once; snippets are taken from the
  article text with TeX turned into plain symbols and navigation left out;
* the chapter that teaches a term: the glossary names, for each term, the
  chapters that explain it ("见 {doc}`…`", read from Sphinx's doctree). The search page
  gets that map (``ZH_SEARCH_HOMES``), and a page that teaches the typed term
  (or the one glossary term it begins, 最小二乘 → 最小二乘法) ranks first.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.search import languages
from sphinx.search.zh import SearchChinese
from sphinx.util import docname_join

STATIC = Path(__file__).parent / "static"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

SPLITTER = r"""
function splitQuery(query) {
  const index = (typeof Search !== "undefined" && Search._index) ? Search._index : null;
  const known = (term) => index !== null && (term in index.terms || term in index.titleterms);
  const pieces = query
    .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
    .filter((term) => term);
  const result = [];
  for (const piece of pieces) {
    if (!/\p{Script=Han}/u.test(piece) || index === null || known(piece)) {
      result.push(piece);
      continue;
    }
    // Longest indexed term first; a character that starts no indexed term is kept as itself.
    let start = 0;
    while (start < piece.length) {
      let end = piece.length;
      while (end > start + 1 && !known(piece.slice(start, end))) end -= 1;
      result.push(piece.slice(start, end));
      start = end;
    }
  }
  return result.length ? result : pieces;
}
"""


class SegmentedChineseSearch(SearchChinese):
    """Sphinx's Chinese search, also indexing single characters, with a segmenting query
    splitter."""

    js_splitter_code = SPLITTER

    def split(self, input: str) -> list[str]:
        words = super().split(input)
        return words + HAN.findall(input)

    def word_filter(self, stemmed_word: str) -> bool:
        return len(stemmed_word) > 1 or bool(HAN.fullmatch(stemmed_word))


def glossary_homes(env) -> dict[str, list[str]]:
    """Term (lower case) -> the documents its glossary entry points to (its {doc} links), in
    order, read from the doctrees of the pages that hold ``{glossary}`` blocks."""
    pages = {
        docname
        for (kind, _), (docname, _) in env.domaindata["std"]["objects"].items()
        if kind == "term"
    }
    homes: dict[str, list[str]] = {}
    for page in sorted(pages):
        for item in env.get_doctree(page).findall(nodes.definition_list_item):
            if not isinstance(item.parent.parent, addnodes.glossary):
                continue
            docs = [
                docname_join(page, xref["reftarget"])
                for xref in item.findall(addnodes.pending_xref)
                if xref.get("reftype") == "doc"
            ]
            for term in item.findall(nodes.term):
                if docs:
                    homes[term.astext().strip().lower()] = list(dict.fromkeys(docs))
    return homes


def add_static_path(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))


def add_ranking_script(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    # Deferred, so it runs after searchtools.js and before Search.init (on DOMContentLoaded).
    if pagename == "search":
        homes = glossary_homes(app.env)
        app.add_js_file(
            None, body=f"const ZH_SEARCH_HOMES = {json.dumps(homes, ensure_ascii=False)};"
        )
        app.add_js_file("zh-search.js", loading_method="defer")


def setup(app: Sphinx) -> dict[str, object]:
    languages["zh"] = SegmentedChineseSearch
    app.connect("builder-inited", add_static_path)
    app.connect("html-page-context", add_ranking_script)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
