"""Chinese prose uses “ ” and ‘ ’, never ASCII quotes (Sphinx would render both as closing
marks)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PAGES = sorted((ROOT / "book").glob("*.md"))
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Code, maths, HTML tags, link targets and directive options may hold ASCII quotes.
PROTECTED = re.compile(
    r"```.*?```|~~~.*?~~~|`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]*\$|<[^>\n]*>|\]\([^)\n]*\)|^:[a-z-]+:[^\n]*$|^\s*:::?\{?[^\n]*$",
    re.DOTALL | re.MULTILINE,
)


def ascii_quotes_in_chinese(text: str) -> list[str]:
    """Lines of prose that contain Chinese and an ASCII quotation mark outside code and maths."""
    prose = PROTECTED.sub(" ", text)
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
    ],
)
def test_the_check_itself(text, bad):
    assert bool(ascii_quotes_in_chinese(text)) is bad
