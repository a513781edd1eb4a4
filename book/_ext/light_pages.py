"""Lighter pages: only the assets a page uses are shipped and loaded.

A chapter used to transfer 4–5 MB before its own figures. This extension
trims what the theme and the extensions ship, after Sphinx has written the
site (``build-finished``), and fixes a console error:

* MathJax: the pages load ``startup.js`` with the TeX input, the CommonHTML
  output and assistive MathML for screen readers (no contextual menu, so
  formulas are not Tab stops), and only those files, the CommonHTML fonts in
  ``MATHJAX_FONTS`` and the TeX extensions in ``TEX_EXTENSIONS`` stay in
  ``_static/mathjax`` (about 1 MB of the 24 MB that sphinx-mathjax-offline copies);
* icons: the Font Awesome script (1.45 MB, every icon as JavaScript) is not
  loaded; the theme's icon font is cut to the glyphs its CSS and pages use
  (a few KB), and the CSS keeps only the icon rules those pages need;
* the search scripts and index load only on the search page;
* inline scripts that an extension registered twice (``THEBE_JS_URL``, a
  ``const``) are written once.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# MathJax components the pages load (startup.js fetches them); paths under _static/mathjax.
MATHJAX_COMPONENTS = ["input/tex", "output/chtml", "a11y/assistive-mml"]
MATHJAX_FILES = {"startup.js", "core.js", "output/chtml/fonts/tex.js"} | {
    f"{c}.js" for c in MATHJAX_COMPONENTS
}
# The CommonHTML fonts the book's formulas use (Chromium fetches a font only when a formula needs
# it). A formula in \mathfrak, \mathsf, \mathscr ... needs another one: its request fails, and
# tests/site/test_weight.py names the font to add here.
MATHJAX_FONTS = [
    "AMS-Regular",
    "Calligraphic-Regular",
    "Main-Bold",
    "Main-Regular",
    "Math-BoldItalic",
    "Math-Italic",
    "Size1-Regular",
    "Size2-Regular",
    "Size3-Regular",
    "Size4-Regular",
    "Typewriter-Regular",
    "Zero",
]
MATHJAX_FILES |= {f"output/chtml/fonts/woff-v2/MathJax_{name}.woff" for name in MATHJAX_FONTS}
# TeX extensions that MathJax's autoload fetches for macros the book uses (\boldsymbol).
# A page needing another one logs a failed request, which tests/site/test_weight.py reports.
TEX_EXTENSIONS = ["boldsymbol"]

FONT_DIR = "_static/vendor/fontawesome/webfonts"
THEME_CSS = "_static/styles/pydata-sphinx-theme.css"
FONTS = ("fa-solid-900", "fa-regular-400", "fa-brands-400")
FONT_SRC = re.compile(
    r'url\(([^)]*?)(fa-[a-z]+-\d+)\.woff2\)\s*format\("woff2"\)\s*,\s*url\([^)]*?\.ttf\)\s*format\("truetype"\)'
)
ICON_CODEPOINT = re.compile(r"\\([ef][0-9a-f]{3})\b|([\ue000-\uf8ff])")
FONTAWESOME_JS = re.compile(
    r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>'
)
PRE_BLOCK = re.compile(r"<pre>.*?</pre>", re.DOTALL)
PYGMENTS_BASE = re.compile(r'html\[data-theme="(\w+)"\] \.highlight \{([^}]*)\}')
PYGMENTS_TOKEN = re.compile(r'html\[data-theme="(\w+)"\] \.highlight \.([a-z0-9]+) \{([^}]*)\}')
# Style sheets (of the theme and extensions) whose unused rules are dropped.
PURGED_CSS = (
    "styles/pydata-sphinx-theme.css",
    "styles/sphinx-book-theme.css",
    "basic.css",
    "mystnb.*.css",
    "sphinx-design.min.css",
)
RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
NOT = re.compile(r":not\([^()]*\)")
ATTRIBUTE = re.compile(r"\[[^\]]*\]")
CLASS_NAME = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
TOKEN = re.compile(r"[A-Za-z0-9_-]+")
# Classes that bootstrap builds from pieces at run time (`bs-${name}-auto`).
DYNAMIC_CLASS_PREFIXES = ("bs-tooltip-", "bs-popover-")
SEARCH_JS = re.compile(
    r'\s*<script src="[^"]*'
    r"(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"
    r'"></script>'
)


def configure_mathjax(app: Sphinx, config) -> None:
    # sphinx-mathjax-offline points mathjax_path at the 1.1 MB tex-chtml.js bundle (with the menu).
    config.mathjax_path = "mathjax/startup.js"
    options = dict(config.mathjax3_config or {})
    loader = dict(options.get("loader", {}))
    loader["load"] = list(dict.fromkeys([*loader.get("load", []), *MATHJAX_COMPONENTS]))
    options["loader"] = loader
    config.mathjax3_config = options


def dedupe_inline_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    # The same inline script may be registered as filename None and as "", which Sphinx keeps apart.
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        key = (script.filename or "", script.priority, tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def prune_mathjax(outdir: Path) -> None:
    root = outdir / "_static" / "mathjax"
    if not root.is_dir():
        return
    keep = MATHJAX_FILES | {f"input/tex/extensions/{name}.js" for name in TEX_EXTENSIONS}
    for path in sorted(root.rglob("*"), reverse=True):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and relative not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    missing = sorted(name for name in keep if not (root / name).is_file())
    if missing:
        logger.warning(
            "light_pages: MathJax files missing from _static/mathjax: %s", ", ".join(missing)
        )


def subset_icon_font(outdir: Path) -> None:
    """Cut the Font Awesome fonts to the glyphs the (purged) style sheets still use."""
    css_path = outdir / THEME_CSS
    fonts = outdir / FONT_DIR
    if not css_path.is_file() or not (fonts / f"{FONTS[0]}.ttf").is_file():
        return
    from fontTools import subset

    css = FONT_SRC.sub(r'url(\1\2.woff) format("woff")', css_path.read_text(encoding="utf-8"))
    css_path.write_text(css, encoding="utf-8")
    codepoints = set()
    for sheet in (outdir / "_static").rglob("*.css"):
        for escaped, literal in ICON_CODEPOINT.findall(
            sheet.read_text(encoding="utf-8", errors="replace")
        ):
            codepoints.add(int(escaped, 16) if escaped else ord(literal))
    options = subset.Options()
    options.flavor = "woff"
    for stem in FONTS:
        source = fonts / f"{stem}.ttf"
        if not source.is_file():
            continue
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        subset.save_font(font, str(fonts / f"{stem}.woff"), options)
        source.unlink()
        (fonts / f"{stem}.woff2").unlink(missing_ok=True)


def split_selectors(selector: str) -> list[str]:
    """Split a selector list at top-level commas (not those inside :not(...) and the like)."""
    parts, depth, start = [], 0, 0
    for at, char in enumerate(selector):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(selector[start:at])
            start = at + 1
    parts.append(selector[start:])
    return parts


def selector_used(selector: str, tokens: set[str]) -> bool:
    selector = ATTRIBUTE.sub("", NOT.sub("", selector))
    if any(f":{pseudo}(" in selector for pseudo in ("is", "where", "has")):
        return True
    return all(
        name in tokens or name.startswith(DYNAMIC_CLASS_PREFIXES)
        for name in CLASS_NAME.findall(selector)
    )


def purge_css(css: str, tokens: set[str]) -> str:
    """Drop the rules whose every selector names a class that no page or script uses."""

    def keep(match: re.Match) -> str:
        head, body = match.groups()
        comments = "".join(COMMENT.findall(head))
        selector = COMMENT.sub("", head).strip()
        if (
            not selector
            or selector.startswith("@")
            or "%" in selector
            or selector in ("from", "to")
        ):
            return match.group(0)
        selectors = split_selectors(selector)
        used = [s for s in selectors if selector_used(s, tokens)]
        if len(used) == len(selectors):
            return match.group(0)
        return comments + (",".join(used) + "{" + body + "}" if used else "")

    return RULE.sub(keep, css)


def purge_style_sheets(outdir: Path, pages: list[Path]) -> None:
    static = outdir / "_static"
    # Class names can only come from the pages and from scripts (bootstrap adds "show",
    # "collapsing"...).
    sources = [
        *pages,
        *(p for p in static.rglob("*.js") if "mathjax" not in p.relative_to(static).parts),
    ]
    tokens: set[str] = set()
    for path in sources:
        tokens.update(TOKEN.findall(path.read_text(encoding="utf-8", errors="replace")))
    for pattern in PURGED_CSS:
        for sheet in static.glob(pattern):
            css = sheet.read_text(encoding="utf-8")
            purged = purge_css(css, tokens)
            if purged != css:
                sheet.write_text(purged, encoding="utf-8")
                # The source map no longer matches, and nobody but a developer tool reads it.
                sheet.with_name(sheet.name + ".map").unlink(missing_ok=True)


def plain_token_classes(static: Path) -> set[str]:
    """Pygments token classes drawn exactly like plain code text in every theme
    (Name, Punctuation...)."""
    sheet = static / "pygments.css"
    if not sheet.is_file():
        return set()
    css = sheet.read_text(encoding="utf-8")
    base = {theme: decls.strip() for theme, decls in PYGMENTS_BASE.findall(css)}
    styles: dict[str, dict[str, str]] = {}
    for theme, name, decls in PYGMENTS_TOKEN.findall(css):
        styles.setdefault(name, {})[theme] = decls.strip()
    colour = {theme: re.search(r"color:\s*([^;]+)", decls) for theme, decls in base.items()}
    others = " ".join(
        p.read_text(encoding="utf-8", errors="replace") for p in static.rglob("*.css") if p != sheet
    )
    plain = set()
    for name, by_theme in styles.items():
        if set(by_theme) != set(base) or re.search(rf"\.highlight \.{name}\b", others):
            continue
        if all(
            colour[t] and by_theme[t] == f"color: {colour[t].group(1).strip()}" for t in by_theme
        ):
            plain.add(name)
    return plain


def trim_pages(pages: list[Path], outdir: Path) -> None:
    search_page = outdir / "search.html"
    plain = plain_token_classes(outdir / "_static")
    names = "|".join(map(re.escape, sorted(plain)))
    plain_span = re.compile(rf'<span class="(?:{names})">([^<]*)</span>')

    def unwrap(block: re.Match) -> str:
        return plain_span.sub(r"\1", block.group(0))

    for page in pages:
        html = page.read_text(encoding="utf-8")
        trimmed = FONTAWESOME_JS.sub("", html)
        if page != search_page:
            trimmed = SEARCH_JS.sub("", trimmed)
        if plain:
            trimmed = PRE_BLOCK.sub(unwrap, trimmed)
        if trimmed != html:
            page.write_text(trimmed, encoding="utf-8")


def lighten(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = [p for p in outdir.rglob("*.html") if "_static" not in p.relative_to(outdir).parts]
    prune_mathjax(outdir)
    for leftover in ("fontawesome.js", "fontawesome.js.map"):
        (outdir / "_static" / "scripts" / leftover).unlink(missing_ok=True)
    trim_pages(pages, outdir)
    purge_style_sheets(outdir, pages)
    subset_icon_font(outdir)


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("config-inited", configure_mathjax, priority=900)
    app.connect("html-page-context", dedupe_inline_scripts, priority=900)
    # After sphinx-mathjax-offline has copied MathJax (priority 500).
    app.connect("build-finished", lighten, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
