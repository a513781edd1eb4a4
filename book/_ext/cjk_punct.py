"""Keep closing punctuation on the same line as the inline formula before it.

The browser treats a typeset formula as one unbreakable box, and it allows a line
break between that box and the text after it, so a line could start with ，。：）
right after a formula. This transform wraps each inline formula together with the
closing punctuation that follows it in ``<span class="cjk-nowrap">`` (``white-space:
nowrap`` in ``_static/layout.css``).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

# Punctuation that must not start a line (Chinese full-width and ASCII).
CLOSING = "，。、；：！？）》」』】〉〕〗〙〛”’…％,.;:!?)]}%"
NOWRAP_CLASS = "cjk-nowrap"


def leading_closing(text: str) -> int:
    """Length of the run of closing punctuation at the start of ``text``."""
    return len(text) - len(text.lstrip(CLOSING))


def join_math_and_punctuation(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for math in list(doctree.findall(nodes.math)):
        parent = math.parent
        if parent is None or NOWRAP_CLASS in parent.get("classes", []):
            continue
        index = parent.index(math)
        if index + 1 >= len(parent) or not isinstance(parent[index + 1], nodes.Text):
            continue
        following = parent[index + 1]
        text = str(following)
        count = leading_closing(text)
        if count == 0:
            continue
        group = nodes.inline(classes=[NOWRAP_CLASS])
        parent.replace(math, group)
        group += math
        group += nodes.Text(text[:count])
        if count < len(text):
            parent.replace(following, nodes.Text(text[count:]))
        else:
            parent.remove(following)


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("doctree-resolved", join_math_and_punctuation)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
