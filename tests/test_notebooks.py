"""The stored chapter notebooks: clean outputs, listed in the table of contents, and validated by
nbval."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LEAKS = re.compile(
    r"/root/|/tmp/ipykernel|/work/|/home/[a-z_][a-z0-9_-]*/|[A-Z]:\\\\Users|at 0x[0-9a-fA-F]{6,}"
)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def output_texts(cell: dict):
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            yield output["name"], "".join(output["text"])
        elif output["output_type"] == "error":
            yield "error", "\n".join(output["traceback"])
        else:
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/") or mime.endswith("json"):
                    yield mime, value if isinstance(value, str) else json.dumps(value)


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no chapter notebooks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_are_clean(path):
    nb = load(path)
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert any(c.get("outputs") for c in code), f"{path.name} is stored without outputs"
    for index, cell in enumerate(nb["cells"]):
        assert "execution" not in cell.get("metadata", {}), (
            f"{path.name} cell {index} stores timing metadata"
        )
        for kind, text in output_texts(cell):
            assert kind != "stderr", f"{path.name} cell {index} wrote to stderr:\n{text[:500]}"
            leak = LEAKS.search(text)
            assert leak is None, f"{path.name} cell {index} output contains {leak.group(0)!r}"
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            assert "# NBVAL_" not in source, (
                f"{path.name} cell {index}: use nbval cell tags, not # NBVAL_ comments"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_names_are_topics(path):
    assert not re.match(r"^\d", path.stem), (
        f"{path.name}: name notebooks by topic; the order lives in _toc.yml"
    )


def toc_files() -> set[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = {toc["root"]}
    for part in toc.get("parts", []):
        for chapter in part["chapters"]:
            files.add(chapter["file"])
            files.update(section["file"] for section in chapter.get("sections", []))
    return files


def test_every_notebook_is_in_the_table_of_contents():
    listed = toc_files()
    missing = [p.name for p in NOTEBOOKS if f"notebooks/{p.stem}" not in listed]
    assert not missing, f"notebooks missing from _toc.yml: {missing}"


def test_colab_setup_cell_installs_from_the_configured_repository():
    url = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
    for path in NOTEBOOKS:
        first = load(path)["cells"][0]
        source = "".join(first["source"])
        assert f"git+{url}" in source, (
            f"{path.name}: the first cell must install dlnotes from {url} in Colab"
        )
        assert "remove-cell" in first["metadata"].get("tags", []), (
            f"{path.name}: hide the Colab cell in the book"
        )


def run_nbval(notebook: Path) -> subprocess.CompletedProcess:
    ini = notebook.parent / "pytest.ini"
    ini.write_text("[pytest]\n", encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-current-env",
            "-p",
            "no:cacheprovider",
            "-c",
            str(ini),
            "--rootdir",
            str(notebook.parent),
            str(notebook),
        ],
        capture_output=True,
        text=True,
        cwd=notebook.parent,
        timeout=600,
    )


@pytest.mark.slow
def test_nbval_fails_when_a_stored_number_changes(tmp_path):
    source = ROOT / "notebooks" / "least_squares.ipynb"
    nb = load(source)
    pattern = re.compile(r"w = (\d\.\d{6})")
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", ""))
            match = pattern.search(text)
            if output.get("output_type") == "stream" and match:
                digits = match.group(1)
                changed = digits[:-1] + str((int(digits[-1]) + 1) % 10)
                output["text"] = text.replace(f"w = {digits}", f"w = {changed}", 1)
                break
        else:
            continue
        break
    else:
        pytest.fail("found no printed 'w = d.dddddd' in least_squares.ipynb to alter")

    unchanged = tmp_path / "unchanged" / source.name
    altered = tmp_path / "altered" / source.name
    for target in (unchanged, altered):
        target.parent.mkdir()
    shutil.copy(source, unchanged)
    altered.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")

    control = run_nbval(unchanged)
    assert control.returncode == 0, f"the unchanged copy should pass:\n{control.stdout[-2000:]}"
    result = run_nbval(altered)
    assert result.returncode == 1, f"nbval accepted an altered output:\n{result.stdout[-2000:]}"
    assert changed in result.stdout and digits in result.stdout


def test_pytest_never_collects_notebook_copies_under_build():
    probe = ROOT / "_build" / "collect_probe" / "probe.ipynb"
    probe.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "notebooks" / "least_squares.ipynb", probe)
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--collect-only",
                "-q",
                "--nbval",
                "-p",
                "no:cacheprovider",
                ".",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
    finally:
        shutil.rmtree(probe.parent)
    assert "notebooks/least_squares.ipynb" in result.stdout, result.stdout[-2000:]
    assert "_build/" not in result.stdout, "pytest collected files under _build"


CHAPTERS = [p for p in NOTEBOOKS if p.stem != "errata"]


def markdown(path: Path) -> str:
    return "\n".join(
        "".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "markdown"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_meets_the_bar(path):
    text = markdown(path)
    assert re.search(r"^\(chapter-[a-z-]+\)=\s*$", text, re.M), (
        f"{path.name}: no (chapter-...)= label"
    )
    assert "学习目标" in text and "预计用时" in text, (
        f"{path.name}: objectives and estimated time missing"
    )
    exercises = re.findall(r"```\{exercise\}", text)
    assert len(exercises) >= 3, f"{path.name}: {len(exercises)} exercises, expected at least 3"
    # Each exercise title starts with its level; each chapter has all three levels.
    levels = re.findall(r"```\{exercise\}\n(?::label:[^\n]*\n)?\s*\*\*(基础|进阶|挑战)：", text)
    assert len(levels) == len(exercises), (
        f"{path.name}: {len(exercises) - len(levels)} exercise(s) whose title does not "
        "start with **基础：, **进阶： or **挑战："
    )
    assert set(levels) == {"基础", "进阶", "挑战"}, f"{path.name}: levels {sorted(set(levels))}"
    assert "**先修**" in text, f"{path.name}: no **先修** (prerequisites) line"
    solutions = re.findall(
        r"```\{solution(?:-start)?\}[^\n]*\n(?::label:[^\n]*\n)?:class: dropdown", text
    )
    assert len(solutions) >= len(exercises), (
        f"{path.name}: every exercise needs a dropdown solution"
    )
    assert "## 小结" in text, f"{path.name}: no 小结 (summary) section"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_shown_figure_has_alt_text(path):
    for index, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        has_image = any(
            k.startswith("image/") for o in cell.get("outputs", []) for k in o.get("data", {})
        )
        hidden = {"remove-output", "remove-cell"} & set(cell["metadata"].get("tags", []))
        if has_image and not hidden:
            alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt")
            assert alt, f"{path.name} cell {index}: a figure without alt text (mystnb.image.alt)"


# Other projects' repositories the book links to on purpose; any other
# GitHub repository URL must be this course's own.
THIRD_PARTY_REPOSITORIES = {"https://github.com/jupyterhub/nbgitpuller"}


def test_every_written_repository_url_is_the_configured_one():
    url = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
    files = [ROOT / "README.md", *(ROOT / "book").glob("*.md"), *NOTEBOOKS]
    pattern = re.compile(r"https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_-]+")
    found = 0
    for path in files:
        for match in pattern.findall(path.read_text(encoding="utf-8")):
            if match in THIRD_PARTY_REPOSITORIES:
                continue
            found += 1
            assert match == url, (
                f"{path.name} names {match}, but _config.yml's repository.url is {url}"
            )
    assert found >= len(NOTEBOOKS), (
        "expected the repository URL in the README, the preface and every Colab cell"
    )


def test_nbval_fails_when_a_cell_starts_writing_to_stderr(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(
        'import sys\nprint("图")\n'
        'sys.stderr.write("Glyph 22270 missing from font(s) DejaVu Sans.\\n")'
    )
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="图\n")
    ]  # stored without stderr
    cell.execution_count = 1
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp_path / "stderr.ipynb"
    nbformat.write(nb, path)
    result = run_nbval(path)
    assert result.returncode == 1, f"nbval accepted new stderr output:\n{result.stdout[-2000:]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_empty_output_boxes(path):
    # A stream split in pieces, or one holding only a newline, shows as an empty grey box in the
    # book.
    for index, cell in enumerate(load(path)["cells"]):
        streams = [o for o in cell.get("outputs", []) if o["output_type"] == "stream"]
        for output in streams:
            assert "".join(output["text"]).strip(), (
                f"{path.name} cell {index}: an output that is only white space"
            )
        names = [o.get("name") for o in cell.get("outputs", [])]
        assert all(a != b or a is None for a, b in zip(names, names[1:])), (
            f"{path.name} cell {index}: stream outputs not coalesced; run `make refresh`"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_gpu_is_chosen_with_tf32_decided(path):
    # torch lets cuDNN use TF32 for float32 convolutions by default; pick_device() decides it.
    code = "\n".join("".join(c["source"]) for c in load(path)["cells"] if c["cell_type"] == "code")
    assert 'torch.device("cuda"' not in code and "torch.device('cuda'" not in code, (
        f"{path.name}: choose the device with dlnotes.device.pick_device(), which switches TF32 off"
    )


# A chapter teaches on its own terms: the source notes (讲义) are argued with in {note}
# boxes and on the errata page, and named at most twice elsewhere in a chapter.
SOURCE_WORD = "讲义"
MAX_SOURCE_MENTIONS = 2
NOTE_BLOCK = re.compile(r"(`{3,}|:{3,})\{note\}.*?\n\1", re.S)


def source_mentions_outside_notes(nb: dict) -> int:
    count = 0
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            text = NOTE_BLOCK.sub("", text)
        count += text.count(SOURCE_WORD)
    return count


def test_source_mentions_count_only_outside_note_boxes():
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": ["```{note}\n讲义写错了。\n```\n讲义\n"]},
            {"cell_type": "markdown", "source": [":::{note}\n讲义\n:::\n"]},
            {"cell_type": "code", "source": ["# 讲义的写法\n"]},
        ]
    }
    assert source_mentions_outside_notes(nb) == 2


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.stem != "errata"], ids=lambda p: p.name)
def test_chapters_name_the_source_notes_only_in_notes(path):
    count = source_mentions_outside_notes(load(path))
    assert count <= MAX_SOURCE_MENTIONS, (
        f"{path.name} names {SOURCE_WORD} {count} times outside {{note}} boxes; "
        f"expected at most {MAX_SOURCE_MENTIONS}"
    )


WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
STATIC_MIMES = ("image/png", "image/jpeg", "image/svg+xml", "text/html")


def _shows_something_static(cell: dict) -> bool:
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream" and "".join(output["text"]).strip():
            return True
        if any(m in output.get("data", {}) for m in STATIC_MIMES):
            return True
    return False


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_widget_has_a_static_equivalent_in_the_book(path):
    # The website has no kernel: a widget is hidden there, and a stored figure or table
    # next to it (at most two cells away) shows what it would have shown.
    cells = load(path)["cells"]
    for i, cell in enumerate(cells):
        if not any(WIDGET_MIME in o.get("data", {}) for o in cell.get("outputs", [])):
            continue
        tags = set(cell["metadata"].get("tags", []))
        assert {"remove-output", "nbval-skip"} <= tags, f"{path.name} cell {i}: tags {tags}"
        near = cells[max(0, i - 2) : i] + cells[i + 1 : i + 3]
        assert any(c["cell_type"] == "code" and _shows_something_static(c) for c in near), (
            f"{path.name} cell {i}: a widget with no stored figure or table beside it"
        )
        words = "".join("".join(c["source"]) for c in near if c["cell_type"] == "markdown")
        assert re.search("网页|在线阅读", words), (
            f"{path.name} cell {i}: the text beside it should tell web readers where to look"
        )
