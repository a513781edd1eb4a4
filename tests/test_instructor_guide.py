"""The instructor guide's syllabus stays true to the chapters.

Every chapter in ``_toc.yml`` has one row; its time is the one the chapter states at its top
(阅读约 N 分钟，练习约 M 分钟); every exercise it suggests exists in that chapter; and an
exercise marked ✓ (implement-it) has an ``implement-it`` cell. Both week plans list every
chapter of the syllabus.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "book" / "instructor_guide.md").read_text(encoding="utf-8")
ROW = re.compile(
    r"^\| \{doc\}`\.\./notebooks/(\w+)` \| [^|]+ \| (\d+) / (\d+) \| [^|]+ \| (.+) \|$", re.M
)
SUGGESTED = re.compile(r"\{ref\}`[^<`]*?(✓)? ?<(ex-[a-z0-9-]+)>`")
TIME = re.compile(r"\*\*预计用时\*\*：阅读约 (\d+) 分钟[^，]*，练习约 (\d+) 分钟")


def chapters() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [Path(f).name for f in files if f.startswith("notebooks/") and f != "notebooks/errata"]


def rows() -> dict[str, tuple[int, int, str]]:
    return {m[1]: (int(m[2]), int(m[3]), m[4]) for m in ROW.finditer(GUIDE)}


def cells(name: str) -> list[dict]:
    return json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]


def test_every_chapter_has_one_row_in_book_order():
    assert list(rows()) == chapters()


@pytest.mark.parametrize("name", chapters())
def test_the_row_matches_its_chapter(name):
    reading, exercises, suggested = rows()[name]
    top = "".join(cells(name)[1]["source"])
    stated = TIME.search(top)
    assert stated, f"{name}: no 预计用时 line in its top cell"
    assert (reading, exercises) == (int(stated[1]), int(stated[2])), (
        f"{name}: the guide says {reading} / {exercises} min, the chapter {stated[1]} / {stated[2]}"
    )
    markdown = "\n".join("".join(c["source"]) for c in cells(name) if c["cell_type"] == "markdown")
    labels = set(re.findall(r"```\{exercise\}\n:label: (\S+)", markdown))
    picks = SUGGESTED.findall(suggested)
    assert len(picks) >= 2, f"{name}: suggest at least two exercises"
    for implement, label in picks:
        assert label in labels, f"{name}: the guide suggests {label}, which the chapter lacks"
        if implement:
            block = markdown.split(f":label: {label}", 1)[1].split("```{exercise}", 1)[0]
            tagged = [c for c in cells(name) if "implement-it" in c["metadata"].get("tags", [])]
            assert tagged and "动手实现" in block, (
                f"{name}: {label} is marked ✓ but is no implement-it"
            )


def test_the_total_time_is_the_sum_of_the_rows():
    reading = sum(r[0] for r in rows().values()) / 60
    total = sum(r[0] + r[1] for r in rows().values()) / 60
    stated = re.search(r"全书阅读约 (\d+) 小时，连同练习约 (\d+) 小时", GUIDE)
    assert stated and abs(int(stated[1]) - reading) <= 1 and abs(int(stated[2]) - total) <= 1, (
        f"rows sum to {reading:.1f} h reading, {total:.1f} h in all"
    )
    preface = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    assert f"全书约 {stated[1]} 小时；连同练习约 {stated[2]} 小时" in preface


@pytest.mark.parametrize("weeks", [16, 8])
def test_each_plan_covers_every_chapter(weeks):
    plan = GUIDE.split(f"**{weeks} 周", 1)[1].split("\n\n**", 1)[0].split("\n## ", 1)[0]
    week_rows = re.findall(r"^\| (\d+) \| (.+) \|$", plan, re.M)
    assert [int(w) for w, _ in week_rows] == list(range(1, weeks + 1))
    text = " ".join(content for _, content in week_rows)
    titles = {
        name: re.search(r"^# (.+)$", "".join(cells(name)[1]["source"]), re.M)[1]
        for name in chapters()
    }
    for name, title in titles.items():
        short = re.split(r"[：:]", title)[0]
        assert short in text, f"the {weeks}-week plan leaves out {name} ({short})"
