"""tools/refresh_notebooks.py: a second refresh changes nothing, and the set-up cell is pinned."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from source_modules import load_source

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


tool = load_source("tools/refresh_notebooks.py")
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def widget_notebook(path: Path) -> None:
    """A notebook with everything that used to differ between two runs."""
    nb = nbformat.v4.new_notebook()
    setup = nbformat.v4.new_code_cell("")
    setup.metadata["tags"] = ["remove-cell"]
    # A widget (a fresh random model id each run), output flushed in pieces (split streams),
    # and a progress bar (timings) in a cell that the book hides and nbval ignores.
    slider = nbformat.v4.new_code_cell("import ipywidgets as w\nw.IntSlider(value=3)")
    pieces = nbformat.v4.new_code_cell(
        "import sys, time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.05)\n"
        "_ = sys.stdout.write('a\\rb\\n')"
    )
    progress = nbformat.v4.new_code_cell(
        "from tqdm.auto import tqdm\nimport time\n"
        "for _ in tqdm(range(3), file=sys.stdout):\n    time.sleep(0.02)"
    )
    progress.metadata["tags"] = ["nbval-ignore-output", "remove-output"]
    nb.cells = [setup, slider, pieces, progress]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


@pytest.mark.slow
def test_refreshing_twice_gives_identical_bytes(tmp_path):
    path = tmp_path / "widgets.ipynb"
    widget_notebook(path)
    tool.refresh(path, COMMIT)
    first = path.read_bytes()
    tool.refresh(path, COMMIT)
    assert path.read_bytes() == first, "a second refresh changed the notebook"

    nb = nbformat.read(path, as_version=4)
    setup, slider, pieces, progress = nb.cells
    view = next(o for o in slider.outputs if tool.WIDGET_VIEW in o.get("data", {}))
    assert re.fullmatch(r"[0-9a-f]{32}", view["data"][tool.WIDGET_VIEW]["model_id"])
    assert [o["output_type"] for o in pieces.outputs] == ["stream"], (
        "stream outputs were not coalesced"
    )
    assert pieces.outputs[0]["text"] == "0\n1\n2\nb\n"
    assert progress.outputs == []
    assert "widgets" not in nb.metadata and "execution" not in slider.metadata
    assert f"@{COMMIT}" in setup.source


def test_a_notebook_without_the_setup_cell_is_refused():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 标题")]
    with pytest.raises(ValueError, match="first cell must be the set-up code cell"):
        tool.stamp(nb, COMMIT)


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT, check=False)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell_is_the_tools_own(path):
    first = nbformat.read(path, as_version=4).cells[0]
    match = re.search(r"@([0-9a-f]{40})\"", first.source)
    assert match, (
        f"{path.name}: the set-up cell pins no commit; run `make refresh` (or --stamp-only)"
    )
    assert first.source == tool.setup_cell_source(match.group(1)), (
        f"{path.name}: the set-up cell differs from tools/refresh_notebooks.py's template; "
        "run --stamp-only"
    )


def test_colab_installs_the_dlnotes_that_the_notebooks_were_refreshed_with():
    if git("rev-parse", "--is-inside-work-tree").returncode != 0:
        pytest.skip("not a git checkout (for example the course download)")
    pins = {
        re.search(r"@([0-9a-f]{40})\"", nbformat.read(p, as_version=4).cells[0].source).group(1)
        for p in NOTEBOOKS
    }
    assert len(pins) == 1, f"the notebooks pin different dlnotes commits: {sorted(pins)}"
    (commit,) = pins
    if git("cat-file", "-e", f"{commit}^{{commit}}").returncode != 0:
        pytest.fail(
            f"the pinned commit {commit} is not in this clone's history "
            "(a shallow clone needs fetch-depth 0)"
        )
    changed = git("diff", "--stat", commit, "--", *tool.PACKAGE_PATHS).stdout.strip()
    assert not changed, (
        f"dlnotes changed since the commit that the Colab cells install ({commit[:12]}):\n"
        f"{changed}\n"
        "commit the package, then run `python tools/refresh_notebooks.py --stamp-only`"
    )


@pytest.mark.slow
def test_without_dlnotes_the_setup_cell_shows_one_chinese_line(tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    hide = nbformat.v4.new_code_cell(
        'import sys\nsys.modules["dlnotes"] = None  # as if it were not installed'
    )
    setup = nbformat.v4.new_code_cell(tool.setup_cell_source(COMMIT))
    nb.cells = [hide, setup]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    NotebookClient(
        nb, timeout=120, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    (error,) = setup.outputs
    assert error["output_type"] == "error"
    assert error["traceback"] == [
        "找不到辅助包 dlnotes：请按 README 的“不用 make 安装”一节安装课程环境，"
        "再用 make lab 打开本章。"
    ]
