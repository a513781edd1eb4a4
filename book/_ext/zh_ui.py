"""The site's interface in Simplified Chinese, with accessible names and unique ids.

Sphinx, the themes and the extensions translate most of their interface through
their zh_CN catalogues (``language: zh_CN``). What they leave in English (or in
Taiwan usage, such as 列印) is fixed here, in two places:

* in the doctree: sphinx-proof's "Proof." prefix, and the ``exercise-content`` /
  ``solution-content`` ids that sphinx-exercise gives to every exercise, which
  repeat on every chapter page;
* in the written HTML: strings from theme templates that have no catalogue entry
  (tooltips, accessible names, button texts, the footer), the issue link, and a
  few ARIA roles and labels that the accessibility check rejects.

The HTML edits only replace exact attribute values and exact template snippets,
never free text, so a chapter that happens to contain "Repository" is untouched.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from docutils import nodes
from sphinx.application import Sphinx

# Exact attribute values (title, aria-label, data-bs-title, alt) and their translation.
ATTRIBUTES = {
    "Color mode": "配色模式",
    "System Settings": "跟随系统",
    "Launch interactive content": "在线运行本页",
    "Launch on Binder": "在 Binder 上运行",
    "Launch on Colab": "在 Colab 上运行",
    "Launch on JupyterHub": "在 JupyterHub 上运行",
    "Main": "章节导航",
    "Page": "本页目录",
    "Source repositories": "源码库",
    "Toggle primary sidebar": "显示或隐藏章节目录",
    "Toggle secondary sidebar": "显示或隐藏本页目录",
    "Link to this heading": "链接到本节",
    "Link to this image": "链接到本图",
    "Link to this equation": "链接到本公式",
    "Link to this table": "链接到本表",
    "Link to this code": "链接到本代码",
    "Link to this definition": "链接到本定义",
    "Link to this term": "链接到本术语",
    "列印成 PDF": "打印成 PDF",
    "创建议题": "反馈问题",
    # sphinx-togglebutton's buttons (written by its script, see SCRIPTS below).
    "Toggle hidden content": "显示或隐藏内容",
    # The logos sit next to the service's name: decorative, so no text of their own.
    "Binder logo": "",
    "Colab logo": "",
    "JupyterHub logo": "",
}
ATTRIBUTE_RE = re.compile(
    r'(\s(?:title|aria-label|data-bs-title|alt)=")('
    + "|".join(re.escape(k) for k in ATTRIBUTES)
    + r')(")'
)
# Visible button texts from sphinx-book-theme's header buttons.
BUTTON_TEXTS = {"Repository": "源码库", "Open issue": "反馈问题"}
BUTTON_TEXT_RE = re.compile(
    r'(<span class="btn__text-container">)(' + "|".join(BUTTON_TEXTS) + r")(</span>)"
)
# sphinx-book-theme's issue link pre-fills an English title and body.
ISSUE_LINK_RE = re.compile(
    r"/issues/new\?title=Issue%20on%20page%20%2F(?P<page>[^&\"]*)(?:&|&amp;)body=Your%20issue%20content%20here\."
)
ISSUE_TEMPLATE = "page-problem.yml"
COPYRIGHT_RE = re.compile(r"©\s*Copyright\s+(?P<holder>[^<]*?)\.\s*(?=<)")
# The search button's aria-label ("搜索") hid its visible text (搜索 Ctrl+K) from its name.
SEARCH_BUTTON_RE = re.compile(r'(<button class="btn search-button-field[^>]*?)\saria-label="[^"]*"')
# sphinx-togglebutton's English label hid the visible "显示代码" hint from the summary's name.
SUMMARY_LABEL = '<summary aria-label="Toggle hidden content">'
# The chapter sidebar holds the logo and the site title outside any landmark (axe: region).
PRIMARY_SIDEBAR = '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">'
PRIMARY_SIDEBAR_LANDMARK = PRIMARY_SIDEBAR[:-1] + ' role="complementary" aria-label="全书目录">'
# docutils marks bibliography entries with the deprecated DPUB role inside a role="list".
BIBLIOENTRY = 'role="doc-biblioentry"'

# Scripts under _static that write interface strings into the page at run time.
SCRIPTS = ("togglebutton.js",)
SCRIPT_LABEL_RE = re.compile(
    r'(aria-label=")(' + "|".join(re.escape(k) for k in ATTRIBUTES) + r')(")'
)

PROOF_PREFIX = "Proof. "
EXERCISE_IDS = {"exercise-content", "solution-content"}


def fix_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for section in list(doctree.findall(nodes.section)):
        if set(section["ids"]) & EXERCISE_IDS:
            # Nothing links to these sections; the ids only repeat on every exercise.
            section["ids"] = [i for i in section["ids"] if i not in EXERCISE_IDS]
    for admonition in doctree.findall(nodes.admonition):
        if "proof" not in admonition["classes"]:
            continue
        paragraph = next(iter(admonition.findall(nodes.paragraph)), None)
        if paragraph is None or not paragraph.children or not isinstance(paragraph[0], nodes.Text):
            continue
        text = str(paragraph[0])
        if text.startswith(PROOF_PREFIX):
            paragraph.replace(paragraph[0], nodes.Text(text[len(PROOF_PREFIX) :]))
            paragraph.insert(0, nodes.strong("证明", "证明"))
            paragraph.insert(1, nodes.Text("　"))


def translate_html(html: str, author: str) -> str:
    html = html.replace(SUMMARY_LABEL, "<summary>")
    html = ATTRIBUTE_RE.sub(lambda m: m[1] + ATTRIBUTES[m[2]] + m[3], html)
    html = BUTTON_TEXT_RE.sub(lambda m: m[1] + BUTTON_TEXTS[m[2]] + m[3], html)
    html = ISSUE_LINK_RE.sub(issue_link, html)
    holder = f" {author}" if author else ""
    html = COPYRIGHT_RE.sub(lambda m: f"© {m['holder']}{holder}", html)
    html = SEARCH_BUTTON_RE.sub(r"\1", html)
    html = html.replace(PRIMARY_SIDEBAR, PRIMARY_SIDEBAR_LANDMARK)
    return html.replace(BIBLIOENTRY, 'role="listitem"')


def issue_link(match: re.Match) -> str:
    page = "/" + match["page"].replace("%2F", "/")
    title = quote(f"[页面] {page}")
    return f"/issues/new?template={ISSUE_TEMPLATE}&title={title}&page={quote(page)}"


def rewrite_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for path in outdir.rglob("*.html"):
        if "_static" in path.relative_to(outdir).parts:
            continue
        rewrite(path, lambda html: translate_html(html, app.config.author))
    for name in SCRIPTS:
        script = outdir / "_static" / name
        if script.is_file():
            rewrite(
                script, lambda js: SCRIPT_LABEL_RE.sub(lambda m: m[1] + ATTRIBUTES[m[2]] + m[3], js)
            )


def rewrite(path: Path, change) -> None:
    before = path.read_text(encoding="utf-8")
    after = change(before)
    if after != before:
        path.write_text(after, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("doctree-resolved", fix_doctree)
    app.connect("build-finished", rewrite_pages)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
