"""The glossary (``book/glossary.md``): its entries, the prose of a page, and term links.

Used by ``tests/test_glossary.py`` (one term per concept; every chapter links its first use of
each term) and from the command line, to add the missing links::

    python tools/glossary.py --check        # list each chapter's first uses without a link
    python tools/glossary.py --fix          # turn them into {term}`…` links, in place

A chapter links the *first* use of each glossary term in its prose to the entry, with the MyST
role ``{term}`学习率```; later uses stay plain text, so a page is not a sea of links. Prose is
what :func:`prose` leaves (no code, maths, link targets or notes that quote the source), less
headings, link texts and inline HTML. Some terms are also everyday words; :data:`NOT_A_USE` lists
the contexts in which such a word is not the term (进阶 is not 阶, 轮流 is not 轮), and
:data:`EXEMPT` the chapters in which it never is.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "book" / "glossary.md"
CHAPTERS = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb") if p.stem != "errata")


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


def alternation(words) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


# Where a glossary word is an ordinary word, not the term: a match of one of these patterns
# (searched in the prose around the word) is not a use of the term.
NOT_A_USE = {
    "阶": re.compile(r"阶(?!\s*张量)"),  # 进阶, 同阶, 二阶导数: only 2 阶张量 is the rank
    "轮": re.compile(r"轮(?=流|到|廓|换)"),  # 轮流, 轮到: not an epoch
    "特征": re.compile(r"特征(?=值|向量|多项式|分解|方程)"),  # eigen-, not a feature
    "注意力": re.compile(r"(?<=把)注意力"),  # 把注意力放在…: the everyday phrase
    "饱和": re.compile(r"(?<=255（)饱和"),  # a pixel clipped at 255, not a saturated unit
    "生成器": re.compile(r"(?<=随机数)生成器"),  # a random-number generator, not a GAN's
    "梯度": re.compile(r"梯度(?=下降)"),  # part of 梯度下降 (the method), not the gradient itself
    "填充": re.compile(r"填充(?=掩码|符号|位置)"),  # a sequence padded, not a convolution
}
# Chapters in which a glossary word only ever has its everyday sense.
EXEMPT = {
    "attention_transformer": {"填充": "sequences padded to one length"},
    "classification": {"步长": "the finite-difference step"},
    "gradient_descent": {"偏差": "the distance from the optimum"},
    "optimizers": {"步长": "the distance of one update"},
    "edge_detection": {
        "步长": "a NumPy view's strides",
        "饱和": "a pixel clipped at 255",
        "偏差": "a deviation in grey levels",
    },
}
LATIN = re.compile(r"[A-Za-z0-9_\-]")
EXTRA_SKIPS = (
    re.compile(r"^[ \t]{0,3}#{1,6}[ \t].*$", re.MULTILINE),  # headings stay plain
    re.compile(r"\[[^\]\n]*\]\([^)\n]*\)"),  # link texts: no link inside a link
    re.compile(r"<(\w+)\b[^>\n]*>.*?</\1>", re.DOTALL),  # inline HTML and its content
    re.compile(r"<[^>\n]*>"),
)
TERM_ROLE = re.compile(r"\{term\}`([^`<]+?)(?:\s*<([^>`]+)>)?`")


def linkable_prose(text: str) -> str:
    """:func:`prose` of ``text`` with headings, link texts and inline HTML blanked too."""
    masked = prose(text)
    for pattern in EXTRA_SKIPS:  # found in the text itself: prose() blanks link targets
        for match in pattern.finditer(text):
            start, end = match.span()
            masked = masked[:start] + _blank(masked[start:end]) + masked[end:]
    return masked


def _without_roles(masked: str, text: str) -> tuple[str, list[int]]:
    """``masked`` with each ``{term}`X``` of ``text`` written as a plain X, and the index in
    it of each character of ``masked`` (so that :data:`NOT_A_USE` sees the words next to a
    link)."""
    plain: list[str] = []
    where: list[int] = []
    last = 0
    for match in TERM_ROLE.finditer(text):
        for i in range(last, match.start()):
            where.append(len(plain))
            plain.append(masked[i])
        where.extend([len(plain)] * (match.end() - match.start()))
        plain.extend(match.group(1))
        last = match.end()
    for i in range(last, len(masked)):
        where.append(len(plain))
        plain.append(masked[i])
    return "".join(plain), where


def uses(text: str, terms, chapter: str = ""):
    """(start, end, term) of every use of a glossary term in the prose of ``text``."""
    exempt = EXEMPT.get(chapter, {})
    masked = linkable_prose(text)
    plain, where = _without_roles(masked, text)
    for match in alternation(terms).finditer(masked):
        start, end = match.span()
        word = match.group(0)
        if word in exempt:
            continue
        if LATIN.match(word[0]) and start > 0 and LATIN.match(masked[start - 1]):
            continue
        if LATIN.match(word[-1]) and end < len(masked) and LATIN.match(masked[end]):
            continue
        rule = NOT_A_USE.get(word)
        at = where[start]
        if rule is not None and any(
            m.start() == at for m in rule.finditer(plain, max(0, at - 8), at + len(word) + 8)
        ):
            continue
        yield start, end, word


def term_links(text: str):
    """(start, target) of every ``{term}`…``` role in ``text``."""
    for match in TERM_ROLE.finditer(text):
        yield match.start(), (match.group(2) or match.group(1)).strip()


def first_unlinked_uses(
    cells: list[dict], terms, chapter: str = ""
) -> list[tuple[int, int, int, str]]:
    """(cell, start, end, term) of each term whose first use in the chapter is not linked.

    A term counts as linked when a ``{term}`` role for it comes before its first plain use.
    """
    linked: set[str] = set()
    seen: set[str] = set()
    found = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        events = [(start, "link", target) for start, target in term_links(text)]
        events += [(start, "use", (end, word)) for start, end, word in uses(text, terms, chapter)]
        for start, kind, value in sorted(events, key=lambda e: e[0]):
            if kind == "link":
                linked.add(value)
                continue
            end, word = value
            if word in linked or word in seen:
                continue
            seen.add(word)
            found.append((index, start, end, word))
    return found


BOLD = re.compile(r"\*\*(?=\S)([^\n]*?\S)\*\*")


def _space(char: str) -> bool:
    return char == "" or char.isspace() or unicodedata.category(char) == "Zs"


def _punct(char: str) -> bool:
    return char != "" and unicodedata.category(char)[0] in "PS"


def _flanks(before: str, after: str, side: str) -> bool:
    """CommonMark's rule: can ``**`` between ``before`` and ``after`` open (side "left") or
    close (side "right") a bold span?"""
    inner, outer = (after, before) if side == "left" else (before, after)
    return not _space(inner) and (not _punct(inner) or _space(outer) or _punct(outer))


def strong_where_needed(text: str) -> str:
    """Write each ``**…**`` that Markdown would show as literal stars as ``<strong>…</strong>``.

    After a Chinese character, ``**{term}`X`**`` does not open a bold span: the ``{`` after
    the stars is punctuation and the character before them is not (CommonMark's flanking
    rule), so the page would show the stars.
    """

    def fix(match: re.Match) -> str:
        start, end = match.span()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        opens = _flanks(before, match.group(1)[0], "left")
        closes = _flanks(match.group(1)[-1], after, "right")
        return match.group(0) if opens and closes else f"<strong>{match.group(1)}</strong>"

    return BOLD.sub(fix, text)


def link_first_uses(cells: list[dict], terms, chapter: str = "") -> int:
    """Wrap each unlinked first use in a ``{term}`` role, in place; return how many."""
    todo = first_unlinked_uses(cells, terms, chapter)
    by_cell: dict[int, list[tuple[int, int, str]]] = {}
    for index, start, end, _word in todo:
        by_cell.setdefault(index, []).append((start, end))
    for index, spans in by_cell.items():
        text = "".join(cells[index]["source"])
        for start, end in sorted(spans, reverse=True):
            text = f"{text[:start]}{{term}}`{text[start:end]}`{text[end:]}"
        text = strong_where_needed(text)
        cells[index]["source"] = text.splitlines(keepends=True)
    return len(todo)


def main(argv: list[str]) -> int:
    if argv not in (["--check"], ["--fix"]):
        print(__doc__)
        return 2
    terms = [e.term for e in parse_glossary(GLOSSARY.read_text(encoding="utf-8"))]
    missing = 0
    for path in CHAPTERS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        if argv == ["--fix"]:
            count = link_first_uses(nb["cells"], terms, path.stem)
            if count:
                path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", "utf-8")
                print(f"{path.name}: linked {count} first use(s)")
        else:
            for index, start, end, word in first_unlinked_uses(nb["cells"], terms, path.stem):
                text = "".join(nb["cells"][index]["source"])
                print(f"{path.name} cell {index}: {word} …{text[max(0, start - 8) : end + 8]}…")
                missing += 1
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
