"""Chinese search that also segments the reader's query.

Sphinx's Chinese search (with jieba) indexes Chinese words, but the browser
splits a query only at spaces and punctuation, so typing 最小二乘 looks for one
term that was indexed as 最小 + 二乘 and finds nothing. This extension keeps
Sphinx's indexer and adds a query splitter that cuts each run of Chinese text
into the longest terms present in the search index (greedy longest match).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.search import languages
from sphinx.search.zh import SearchChinese

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
    let start = 0;
    while (start < piece.length) {
      let end = piece.length;
      while (end > start + 1 && !known(piece.slice(start, end))) end -= 1;
      const word = piece.slice(start, end);
      if (known(word)) result.push(word);
      start = end;
    }
  }
  return result.length ? result : pieces;
}
"""


class SegmentedChineseSearch(SearchChinese):
    """Sphinx's Chinese search plus a query splitter that matches indexed words."""

    js_splitter_code = SPLITTER


def setup(app: Sphinx) -> dict[str, object]:
    languages["zh"] = SegmentedChineseSearch
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
