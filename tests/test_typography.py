"""Chinese prose uses “ ” and ‘ ’, never ASCII quotes (Sphinx would render both as closing
marks), and no bold or italic mark is left as literal stars on the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PAGES = sorted((ROOT / "book").glob("*.md"))
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Maths, inline code, HTML tags, link targets and directive options may hold ASCII quotes;
# fenced code is blanked first (code_blanked), while the text of {exercise}, {solution},
# {note} ... fences is prose and is checked.
PROTECTED = re.compile(
    r"`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]*\$|<[^>\n]*>|\]\([^)\n]*\)|^:[a-z-]+:[^\n]*$|^\s*:::?\{?[^\n]*$",
    re.DOTALL | re.MULTILINE,
)


FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*(.*)$")
CODE_DIRECTIVES = ("{code", "{literalinclude", "{math", "{eval", "{glue")


def code_blanked(text: str) -> str:
    """Blank fenced code blocks and fence lines, keeping the text inside prose directives."""
    lines, code, prose = [], None, []  # code: the open code fence; prose: open directive fences
    for line in text.splitlines():
        match = FENCE.match(line)
        if code is not None:
            if match and not match[2] and match[1][0] == code[0] and len(match[1]) >= len(code):
                code = None
            lines.append("")
            continue
        if match:
            fence, info = match[1], match[2].strip()
            if not info and prose and fence[0] == prose[-1][0] and len(fence) >= len(prose[-1]):
                prose.pop()
            elif info.startswith("{") and not info.startswith(CODE_DIRECTIVES):
                prose.append(fence)
            else:
                code = fence
            lines.append("")
            continue
        lines.append(line)
    return "\n".join(lines)


def ascii_quotes_in_chinese(text: str) -> list[str]:
    """Lines of prose that contain Chinese and an ASCII quotation mark outside code and maths."""
    prose = PROTECTED.sub(" ", code_blanked(text))
    return [
        line.strip()
        for line in prose.splitlines()
        if CJK.search(line) and re.search(r"\"|(?<![A-Za-z])'|'(?![A-Za-z])", line)
    ]


def texts(path: Path):
    if path.suffix == ".md":
        yield "page", path.read_text(encoding="utf-8")
        return
    for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        if cell["cell_type"] == "markdown":
            yield f"cell {index}", "".join(cell["source"])
        for section in cell["metadata"].get("mystnb", {}).values():  # figure captions and alt text
            for key, value in section.items():
                if isinstance(value, str):
                    yield f"cell {index} {key}", value


@pytest.mark.parametrize("path", NOTEBOOKS + PAGES, ids=lambda p: p.name)
def test_no_ascii_quotes_in_chinese_prose(path):
    found = [(where, line) for where, text in texts(path) for line in ascii_quotes_in_chinese(text)]
    assert not found, f"{path.name}: use “ ” and ‘ ’ in Chinese text:\n" + "\n".join(
        f"  {w}: {line[:120]}" for w, line in found
    )


@pytest.mark.parametrize(
    "text, bad",
    [
        ('他说"你好"。', True),
        ("所谓'死亡'的神经元", True),
        ("他说“你好”。", False),
        ('代码 `print("你好")` 不算', False),
        ('公式 $f("x")$ 里的不算', False),
        ("English 'quotes' and don't in a Chinese line", False),
        ('```python\nprint("中文")\n```', False),
        (':class: tip\n\n他说"你好"。', True),  # a directive option protects its own line only
        ('```{exercise}\n:label: ex-a\n他说"你好"。\n```', True),  # exercise text is prose
        ('```{solution} ex-a\n:class: dropdown\n\n所谓"死亡"\n```', True),
        ('```{exercise}\n题目\n```\n\n```python\nprint("中文")\n```', False),
        ('```{literalinclude} a.py\n```\n\n```\nx = "中文"\n```', False),
        ('````{solution} ex-a\n```python\ns = "中文"\n```\n````\n他说"你好"', True),
    ],
)
def test_the_check_itself(text, bad):
    assert bool(ascii_quotes_in_chinese(text)) is bad


# The book's own MyST settings (_config.yml), so that the check parses as the build does.
_PARSE = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["parse"]
MYST = create_md_parser(
    MdParserConfig(
        enable_extensions=set(_PARSE["myst_enable_extensions"]),
        dmath_double_inline=_PARSE.get("myst_dmath_double_inline", False),
    ),
    RendererHTML,
)
STARS = re.compile(r"\*\*|__|(?<=[\u4e00-\u9fff）。，：])\*(?=\S)|(?<=\S)\*(?=[\u4e00-\u9fff（])")


def literal_emphasis_marks(text: str) -> list[str]:
    """Text that MyST shows with literal ``**``, ``__`` or ``*`` beside Chinese: emphasis that
    did not open or close (after a Chinese character, ``**{term}`X`**`` is not bold)."""
    found = []
    for token in MYST.parse(text):
        if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
            if not token.info.strip().startswith(CODE_DIRECTIVES):  # prose inside a directive
                body = re.sub(r"^:[\w-]+:.*$", "", token.content, flags=re.MULTILINE)
                found += literal_emphasis_marks(body)
            continue
        for child in token.children or []:
            if child.type == "text" and STARS.search(child.content):
                found.append(child.content.strip())
    return found


@pytest.mark.parametrize("path", NOTEBOOKS + PAGES, ids=lambda p: p.name)
def test_no_literal_emphasis_marks(path):
    found = [(where, line) for where, text in texts(path) for line in literal_emphasis_marks(text)]
    assert not found, (
        f"{path.name}: these stars show on the page; write <strong>…</strong> where a bold span "
        "starts or ends at a {term} role or maths next to Chinese (tools/glossary.py "
        "strong_where_needed):\n" + "\n".join(f"  {w}: {line[:120]}" for w, line in found)
    )


@pytest.mark.parametrize(
    "text, bad",
    [
        ("称为**{term}`学习率`（learning rate）**。", True),
        ("称为<strong>{term}`学习率`（learning rate）</strong>。", False),
        ("叫**学习率**（learning rate）。", False),
        ("由 **{term}`优化器`** 决定", False),
        ("```{exercise}\n:label: ex-a\n称为**{term}`学习率`**。\n```", True),
        ("```python\nx = a**2  # 平方\n```", False),
        ("公式 $D^*$ 与 `a**b` 不算", False),
        ("原文 4*4 的图像", False),
    ],
)
def test_the_emphasis_check_itself(text, bad):
    assert bool(literal_emphasis_marks(text)) is bad
