"""The glossary (``book/glossary.md``) and the rule “one Chinese term per concept” in the chapters.

The glossary is a set of MyST ``{glossary}`` blocks. Each entry is a term line (exactly the Chinese
term, so that a chapter can write ``{term}`批归一化```) followed by two indented paragraphs::

    批归一化
      英文 batch normalization（BN）。d2l-zh：批量规范化。不用：批量归一化、批标准化。

      定义：……。见 {doc}`../notebooks/cnn_layers`。

The *alternatives* of an entry are its d2l-zh term (given only where it differs from the book's)
and the spellings listed after “不用：”. A chapter must not use an alternative for the concept:
``test_chapter_uses_the_glossary_spellings`` scans the markdown cells, figure captions and alt
texts of every notebook except ``errata`` (which quotes the source's wording on purpose), and
the preface ``book/intro.md``, whose chapter map names the same concepts.

The allow-rule. An occurrence of an alternative is *not* reported when it lies

1. in code or maths: fenced code blocks, inline code (this includes role targets), ``$...$``,
   ``$$...$$``, link targets, directive option lines;
2. in a ``{note}`` admonition that mentions 讲义: these boxes quote the source's wording to
   correct it (a note that does not mention 讲义 is scanned like any other prose);
3. inside Chinese quotation marks “…” or ‘…’ (at most 30 characters between them): the
   spelling is quoted as a word, not used, as in （“递归神经网络”有歧义）;
4. within 20 characters after one of the markers 称为, 称作, 叫作, 又称, 也称, 也叫, 又叫, 译作,
   译为, d2l-zh or 《动手学深度学习》, with no sentence end (。；！？ or a line break) in between:
   the text names it as another book's or another field's term, as in 精确率（precision，又称
   查准率）or （d2l-zh 称为汇聚）;
5. inside a longer glossary term (for example 超参 inside 超参数).

Everything else is a violation, reported with the chapter, the cell and the surrounding text.

Links. Each chapter links its first use of every glossary term to the entry with
``{term}`…```; ``tools/glossary.py`` finds the first uses (and ``--fix`` adds the links). The
scanning code lives there, and this file tests it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from source_modules import load_source

ROOT = Path(__file__).resolve().parent.parent


glossary = load_source("tools/glossary.py")
GLOSSARY = ROOT / "book" / "glossary.md"
CHAPTERS = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb") if p.stem != "errata")
PAGES = [*CHAPTERS, ROOT / "book" / "intro.md"]  # the preface describes every chapter too

MARKERS = (
    "称为",
    "称作",
    "叫作",
    "又称",
    "也称",
    "也叫",
    "又叫",
    "译作",
    "译为",
    "d2l-zh",
    "《动手学深度学习》",
)
MARKER_REACH = 20
SENTENCE_END = re.compile(r"[。；！？\n]")
QUOTED = re.compile(r"“[^“”\n]{0,30}”|‘[^‘’\n]{0,30}’")
CONTEXT = 15


Entry = glossary.Entry
parse_glossary = glossary.parse_glossary
prose = glossary.prose
_alternation = glossary.alternation


def _named_by_marker(text: str, start: int) -> bool:
    window = text[max(0, start - MARKER_REACH - 12) : start]
    for marker in MARKERS:
        for found in re.finditer(re.escape(marker), window):
            between = window[found.end() :]
            if len(between) <= MARKER_REACH and not SENTENCE_END.search(between):
                return True
    return False


def find_violations(text: str, entries: list[Entry], where: str) -> list[str]:
    """Uses of an alternative in ``text`` that the allow-rule does not excuse, as messages."""
    term_of = {alt: e.term for e in entries for alt in e.alternatives}
    if not term_of:
        return []
    masked = prose(text)
    terms = [(m.start(), m.end()) for m in _alternation(e.term for e in entries).finditer(masked)]
    quoted = [(m.start(), m.end()) for m in QUOTED.finditer(masked)]
    found = []
    for match in _alternation(term_of).finditer(masked):
        start, end = match.span()
        inside = any(a <= start and end <= b and (a, b) != (start, end) for a, b in terms)
        if inside or any(a < start and end < b for a, b in quoted):
            continue
        if _named_by_marker(masked, start):
            continue
        context = text[max(0, start - CONTEXT) : end + CONTEXT].replace("\n", " ")
        found.append(
            f"{where}: “{match.group(0)}” is listed for 「{term_of[match.group(0)]}」 "
            f"in the glossary; context: …{context}…"
        )
    return found


def chapter_texts(path: Path):
    """(where, text) for each markdown cell and each caption or alt text of a notebook."""
    if path.suffix == ".md":
        yield path.stem, path.read_text(encoding="utf-8")
        return
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "markdown":
            yield f"{path.stem} cell {index}", "".join(cell["source"])
        for section in cell.get("metadata", {}).get("mystnb", {}).values():
            for key, value in section.items() if isinstance(section, dict) else ():
                if isinstance(value, str):
                    yield f"{path.stem} cell {index} {key}", value


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_glossary(GLOSSARY.read_text(encoding="utf-8"))


def test_the_glossary_has_its_label_title_and_entries(entries):
    text = GLOSSARY.read_text(encoding="utf-8")
    assert text.startswith("(glossary)=\n# 术语表\n"), (
        "glossary.md must start with its label and title"
    )
    assert len(entries) >= 80, f"expected at least 80 glossary entries, found {len(entries)}"


def test_every_entry_has_an_english_original_a_definition_and_a_chapter(entries):
    incomplete = [
        f"{e.term}: english={e.english!r}, definition={e.definition[:30]!r}, docs={e.docs}"
        for e in entries
        if not e.english or len(e.definition) < 10 or not e.docs
    ]
    assert not incomplete, "entries missing a field:\n" + "\n".join(incomplete)


def test_no_term_is_defined_twice(entries):
    seen: set[str] = set()
    twice = {e.term for e in entries if e.term in seen or seen.add(e.term)}
    assert not twice, f"terms defined more than once: {sorted(twice)}"


def test_no_alternative_is_itself_a_term(entries):
    terms = {e.term for e in entries}
    clashes = [f"{e.term}: {alt}" for e in entries for alt in e.alternatives if alt in terms]
    assert not clashes, "a 不用 or d2l-zh spelling is also a glossary term:\n" + "\n".join(clashes)


def test_every_entry_links_to_an_existing_chapter(entries):
    missing = [
        f"{e.term}: {doc}"
        for e in entries
        for doc in e.docs
        if not any(
            (GLOSSARY.parent / doc).with_suffix(s).resolve().exists() for s in (".ipynb", ".md")
        )
    ]
    assert not missing, "glossary links to pages that do not exist:\n" + "\n".join(missing)


def test_the_definitions_use_the_glossary_spellings(entries):
    found = [
        v for e in entries for v in find_violations(e.definition, entries, f"glossary {e.term}")
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_chapter_uses_the_glossary_spellings(path, entries):
    found = [
        v for where, text in chapter_texts(path) for v in find_violations(text, entries, where)
    ]
    assert not found, (
        f"{path.name} uses {len(found)} spelling(s) that book/glossary.md lists as alternatives "
        "(use the glossary term, or quote / attribute the other spelling):\n" + "\n".join(found)
    )


SAMPLE = """
```{glossary}
批归一化
  英文 batch normalization（BN）。d2l-zh：批量规范化。不用：批量归一化、批标准化。

  定义：按通道标准化的层。见 {doc}`../notebooks/cnn_layers`。

超参数
  英文 hyperparameter。不用：超参。

  定义：训练前定下的量。见 {doc}`../notebooks/classification`。
```
"""


def test_the_parser_reads_every_field():
    norm, hyper = parse_glossary(SAMPLE)
    assert norm == Entry(
        term="批归一化",
        english="batch normalization（BN）",
        d2l="批量规范化",
        avoid=("批量归一化", "批标准化"),
        definition="按通道标准化的层。见 {doc}`../notebooks/cnn_layers`。",
        docs=("../notebooks/cnn_layers",),
    )
    assert norm.alternatives == ("批量规范化", "批量归一化", "批标准化")
    assert hyper.term == "超参数" and hyper.d2l == "" and hyper.avoid == ("超参",)


def test_the_scan_reports_an_alternative_with_chapter_and_context():
    found = find_violations(
        "每个卷积层后面接一个批量归一化层。", parse_glossary(SAMPLE), "demo cell 3"
    )
    assert len(found) == 1
    assert found[0].startswith("demo cell 3: “批量归一化”")
    assert "批归一化" in found[0] and "卷积层后面接一个批量归一化层" in found[0]


@pytest.mark.parametrize(
    "text, reported",
    [
        ("这一层做批量归一化。", True),
        ("这一层做批量规范化。", True),  # the d2l-zh term counts as an alternative
        ("这一层（d2l-zh 称为批量规范化）", False),
        ("批归一化，有的书称为批标准化。", False),
        ("有的书写“批量归一化”。", False),
        ("又称。批量归一化", True),  # the marker is in another sentence
        ("又称" + "很" * 21 + "批量归一化", True),  # too far after the marker
        ("要调的超参数很多。", False),  # inside a longer glossary term
        ("别写超参。", True),
        ("`批量归一化` 与 $\\text{批量归一化}$", False),
        ("```python\n# 批量归一化\n```", False),
        ("```python\n# 批量归一化", False),  # an unclosed code block runs to the end
        ("```{exercise}\n~~~python\n# 批量归一化\n~~~\n本题用批归一化。\n```", False),
        ("```{note}\n讲义写作批量归一化。\n```\n后文用批量归一化。", True),
        (":::{note}\n讲义把它写作批量归一化。\n:::", False),
        (":::{note}\n这里用批量归一化。\n:::", True),  # a note that does not quote the source
        ("```{exercise}\n:label: ex-demo\n本题用批量归一化。\n```", True),
    ],
)
def test_the_allow_rule(text, reported):
    assert bool(find_violations(text, parse_glossary(SAMPLE), "demo")) is reported


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_links_its_first_use_of_every_term(path, entries):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    missing = glossary.first_unlinked_uses(cells, [e.term for e in entries], path.stem)
    report = [
        f"cell {i}: {word} …{''.join(cells[i]['source'])[max(0, a - 10) : b + 10]}…"
        for i, a, b, word in missing
    ]
    assert not missing, (
        f"{path.name}: {len(missing)} first use(s) of a glossary term without a {{term}} link "
        "(run python tools/glossary.py --fix):\n" + "\n".join(report)
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_term_link_names_an_entry(path, entries):
    terms = {e.term for e in entries}
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    targets = [
        target
        for cell in cells
        if cell["cell_type"] == "markdown"
        for _start, target in glossary.term_links("".join(cell["source"]))
    ]
    assert targets, f"{path.name} links no glossary term"
    unknown = sorted(set(targets) - terms)
    assert not unknown, f"{path.name} links to terms that book/glossary.md lacks: {unknown}"


def test_the_everyday_sense_rules_name_glossary_terms(entries):
    terms = {e.term for e in entries}
    named = set(glossary.NOT_A_USE) | {t for rules in glossary.EXEMPT.values() for t in rules}
    assert named <= terms, f"rules for words that are not glossary terms: {named - terms}"
    chapters = {p.stem for p in CHAPTERS}
    assert set(glossary.EXEMPT) <= chapters, set(glossary.EXEMPT) - chapters


LINK_TERMS = ["学习率", "梯度", "梯度下降法", "阶", "张量", "ReLU"]


def markdown(*texts: str) -> list[dict]:
    return [{"cell_type": "markdown", "source": [t]} for t in texts]


@pytest.mark.parametrize(
    "texts, expected",
    [
        (("学习率要选好，学习率太大会发散。",), ["{term}`学习率`要选好，学习率太大会发散。"]),
        (("## 学习率\n学习率太大会发散。",), ["## 学习率\n{term}`学习率`太大会发散。"]),
        (("`学习率` 和 $\\text{学习率}$ 之后才是学习率。",), None),  # code and maths skipped
        (("见[学习率](gd.md)。学习率",), ["见[学习率](gd.md)。{term}`学习率`"]),
        (("**进阶：** 2 阶张量",), ["**进阶：** 2 {term}`阶`{term}`张量`"]),  # 进阶 is not 阶
        (("用梯度下降求梯度。",), ["用梯度下降求{term}`梯度`。"]),  # 梯度下降 is the method
        (("ReLUs 不算，ReLU 才算。",), ["ReLUs 不算，{term}`ReLU` 才算。"]),
        (("已经链接的 {term}`学习率`。", "学习率"), ["已经链接的 {term}`学习率`。", "学习率"]),
        (
            ("第一格的学习率。", "第二格的学习率。"),
            ["第一格的{term}`学习率`。", "第二格的学习率。"],
        ),
        # After a Chinese character, **{term}`X`** would show its stars: written as <strong>.
        (
            ("称为**学习率**（learning rate）。",),
            ["称为<strong>{term}`学习率`</strong>（learning rate）。"],
        ),
        (
            ("由**学习率（learning rate）**决定。",),
            ["由<strong>{term}`学习率`（learning rate）</strong>决定。"],
        ),
        (("**学习率**（learning rate）决定",), ["**{term}`学习率`**（learning rate）决定"]),
        (("称为 **学习率** 的量",), ["称为 **{term}`学习率`** 的量"]),
    ],
)
def test_the_linker_links_each_first_use_once(texts, expected):
    cells = markdown(*texts)
    glossary.link_first_uses(cells, LINK_TERMS)
    got = ["".join(c["source"]) for c in cells]
    if expected is None:
        assert got[0].endswith("之后才是{term}`学习率`。")
        assert got[0].startswith("`学习率` 和 $")
    else:
        assert got == expected
    assert glossary.first_unlinked_uses(cells, LINK_TERMS) == []


def test_a_use_before_its_link_is_reported():
    cells = markdown("学习率在前。", "这里才链接 {term}`学习率`。")
    assert [w for *_, w in glossary.first_unlinked_uses(cells, LINK_TERMS)] == ["学习率"]


def test_a_chapter_exemption_turns_the_rule_off_for_that_chapter():
    cells = markdown("步长为负的视图。")
    assert glossary.first_unlinked_uses(cells, ["步长"], "edge_detection") == []
    assert [w for *_, w in glossary.first_unlinked_uses(cells, ["步长"], "cnn_layers")] == ["步长"]


def test_strong_where_needed_refuses_what_is_not_text():
    with pytest.raises(TypeError, match="expected string.*got 'list'"):
        glossary.strong_where_needed(["称为**学习率**"])
