"""The whole-book PDF (make pdf): each chapter title as text, a Chinese font, a link on the site."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from browser_env import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
PDF_NAME = "deep-learning-basics.pdf"


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def title(file: str) -> str:
    """The first level-1 heading of a page in the table of contents."""
    notebook = ROOT / f"{file}.ipynb"
    if notebook.is_file():
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = (ROOT / f"{file}.md").read_text(encoding="utf-8")
    match = re.search(r"^# (.+)$", text, flags=re.MULTILINE)
    assert match, f"{file} has no level-1 heading"
    return match.group(1).strip()


def squeeze(text: str) -> str:
    # Line breaks and spaces that a PDF text layer inserts or drops are not content, and NFKC
    # maps the Kangxi radicals some fonts' glyph tables give (⾔ for 言) to the ideographs.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles += outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


@pytest.fixture(scope="module")
def pdf(site_dir):
    path = site_dir / "_downloads" / PDF_NAME
    if not path.is_file():
        skip_or_fail(f"no {path}: run make pdf (make test does)")
    pypdf = pytest.importorskip("pypdf")
    return pypdf.PdfReader(str(path))


@pytest.fixture(scope="module")
def pdf_text(pdf) -> str:
    return squeeze("".join(page.extract_text() or "" for page in pdf.pages))


def test_the_pdf_holds_every_chapter_title_as_text(pdf_text):
    titles = [title(file) for file in toc_files()]
    missing = [t for t in titles if squeeze(t) not in pdf_text]
    assert not missing, f"chapter titles not found as text in the PDF: {missing}"


def test_the_pdf_embeds_a_chinese_font(pdf):
    fonts = set()
    for page in pdf.pages[:20]:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            # Chromium embeds CFF-based fonts as Type 3, named only in their descriptor.
            descriptor = font.get("/FontDescriptor")
            name = descriptor.get_object().get("/FontName") if descriptor else font.get("/BaseFont")
            fonts.add(str(name))
    assert any("NotoSansSC" in name for name in fonts), f"no Noto Sans SC among {sorted(fonts)}"


def test_the_pdf_has_an_outline_and_reads_as_chinese(pdf, pdf_text):
    bookmarks = {squeeze(t) for t in outline_titles(pdf.outline)}
    chapters = [title(file) for file in toc_files()]
    unmarked = [t for t in chapters if not any(squeeze(t) in b for b in bookmarks)]
    assert not unmarked, f"chapters without a bookmark in the PDF: {unmarked}"
    chinese = len(re.findall(r"[\u4e00-\u9fff]", pdf_text))
    assert chinese > 20_000, f"only {chinese} Chinese characters in the PDF's text"
    assert "\ufffd" not in pdf_text, "the PDF text layer holds replacement characters"


def test_the_preface_links_the_pdf(site_dir):
    preface = (site_dir / "book" / "intro.html").read_text(encoding="utf-8")
    assert f'href="_downloads/{PDF_NAME}"' in preface.replace("../", ""), (
        "the preface does not link the whole-book PDF"
    )
