"""Let the single-page build (``make pdf``) render every node the HTML build renders.

Sphinx looks up a translator's custom-node handlers by builder name and falls back to the
builder's format only when the name has none. sphinx-exercise registers handlers for
``singlehtml`` by name, so the ``html`` handlers of myst-nb, sphinx-design, etc. are never
consulted there, and the build stops at the first hidden code cell. This extension copies the
``html`` handlers that ``singlehtml`` lacks.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def _inherit_html_handlers(app: Sphinx) -> None:
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for name, pair in handlers.get("html", {}).items():
        single.setdefault(name, pair)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _inherit_html_handlers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
