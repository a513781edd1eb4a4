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
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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


@dataclass(frozen=True)
class Entry:
    term: str
    english: str
    d2l: str
    avoid: tuple[str, ...]
    definition: str
    docs: tuple[str, ...]

    @property
    def alternatives(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(((self.d2l,) if self.d2l else ()) + self.avoid))


def _field(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.DOTALL)
    return match.group(1).strip() if match else ""


def parse_glossary(text: str) -> list[Entry]:
    """Every entry of every ``{glossary}`` block, in the order written."""
    entries = []
    for block in re.findall(r"^```\{glossary\}[^\n]*\n(.*?)^```", text, re.DOTALL | re.MULTILINE):
        raw: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            if line.startswith(":") and not raw:  # directive options such as :sorted:
                continue
            if line.strip() and not line[0].isspace():
                raw.append((line.strip(), []))
            elif raw:
                raw[-1][1].append(line.strip())
        for term, lines in raw:
            body = "\n".join(lines).strip()
            meta, _, rest = body.partition("\n\n")
            definition = _field(r"定义：(.*)", body)
            avoid = _field(r"不用：(.*?)。", meta)
            entries.append(
                Entry(
                    term=term,
                    english=_field(r"^英文\s*(.*?)。", meta),
                    d2l=_field(r"d2l-zh：(.*?)。", meta),
                    avoid=tuple(a.strip() for a in avoid.split("、") if a.strip()),
                    definition=definition,
                    docs=tuple(re.findall(r"\{doc\}`([^`]+)`", definition)),
                )
            )
    return entries


FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,}|:{3,})[ \t]*(.*?)[ \t]*$")
CODE_DIRECTIVES = ("{code", "{literalinclude", "{math", "{eval-rst", "{raw")
INLINE_SKIPS = (
    (re.compile(r"^:[a-z-]+:[^\n]*$", re.MULTILINE)),  # directive options
    (re.compile(r"<!--.*?-->", re.DOTALL)),
    (re.compile(r"\$\$.*?\$\$", re.DOTALL)),
    (re.compile(r"\$[^$\n]*\$")),
    (re.compile(r"`[^`\n]*`")),  # inline code and role targets
    (re.compile(r"\]\([^)\n]*\)")),  # link targets
)


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def prose(text: str) -> str:
    """``text`` with everything the scan skips (rules 1 and 2) blanked; positions are kept."""
    lines = text.split("\n")
    out = list(lines)
    stack: list[tuple[str, int, str, int]] = []  # (fence char, fence length, kind, first line)
    for i, line in enumerate(lines):
        fence = FENCE.match(line)
        closes = (
            fence is not None
            and bool(stack)
            and not fence.group(2)
            and fence.group(1)[0] == stack[-1][0]
            and len(fence.group(1)) >= stack[-1][1]
        )
        if stack and stack[-1][2] == "code" and not closes:
            continue
        if closes:
            _char, _length, kind, first = stack.pop()
            block = lines[first : i + 1]
            if kind == "code" or (kind == "note" and any("讲义" in b for b in block)):
                out[first : i + 1] = [_blank(b) for b in block]
            out[i] = _blank(line)
        elif fence is not None:
            info = fence.group(2)
            if info.startswith("{note}"):
                kind = "note"
            elif info.startswith("{") and not info.startswith(CODE_DIRECTIVES):
                kind = "directive"
            elif info.startswith("{") or fence.group(1)[0] != ":":
                kind = "code"
            else:
                kind = "directive"
            stack.append((fence.group(1)[0], len(fence.group(1)), kind, i))
            out[i] = _blank(line)
    for _char, _length, kind, first in stack:  # unclosed blocks run to the end of the text
        if kind == "code" or (kind == "note" and any("讲义" in b for b in lines[first:])):
            out[first:] = [_blank(b) for b in lines[first:]]
    text = "\n".join(out)
    for pattern in INLINE_SKIPS:
        text = pattern.sub(lambda m: _blank(m.group(0)), text)
    return text


def _alternation(words) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


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
