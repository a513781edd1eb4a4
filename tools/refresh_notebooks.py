"""Re-execute chapter notebooks in place, so that a second run changes nothing.

Usage:
    python tools/refresh_notebooks.py [notebooks/name.ipynb ...]     execute and store outputs
    python tools/refresh_notebooks.py --stamp-only [notebooks/...]   only rewrite the set-up cell

Each notebook runs top to bottom in its own folder with a fresh kernel. What
would differ between two runs on the same machine is normalised before saving:
no per-cell timing metadata, stream outputs coalesced, widget model ids derived
from the notebook and cell, and no stored output for cells that the book hides
and nbval ignores (progress bars full of timings).

The first cell is the set-up cell. In Colab it installs dlnotes pinned to the
last commit that changed the package, so a notebook keeps working with the code
it was written against; everywhere else it only checks that dlnotes imports.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
KEEP_METADATA = ("kernelspec", "language_info")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# What the set-up cell's pin must match: the package and its dependency list.
PACKAGE_PATHS = ("src/dlnotes", "pyproject.toml")
# A backslash at the end of a line joins the next one to it: the cell has no line break there.
SETUP_TEMPLATE = """\
# 本章在课程环境中运行：装好 dlnotes 的 .venv（用 make lab 打开），或 Binder、Colab。
# 在 Colab 中，这一格先安装与本章配套的 dlnotes；在其他环境里，它只检查 dlnotes 能否导入。
import importlib.util
import sys

if "google.colab" in sys.modules and importlib.util.find_spec("dlnotes") is None:
    %pip install -q "dlnotes @ git+{url}@{commit}"
if importlib.util.find_spec("dlnotes") is None:
    class MissingCourseEnvironment(Exception):
        def _render_traceback_(self):  # Jupyter shows only this message, no traceback
            return [str(self)]
    raise MissingCourseEnvironment("找不到辅助包 dlnotes：请按 README 的“不用 make 安装”\
一节安装课程环境，"
                                   "再用 make lab 打开本章。") from None"""


def repository_url() -> str:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"]


def package_commit(draft: bool = False) -> str:
    """The last commit that changed dlnotes; refuses while the package has uncommitted changes.

    ``draft`` (``--draft``) lets an author execute a notebook against uncommitted dlnotes code;
    its Colab cell then pins a commit that lacks that code, so ``make stamp`` must run again
    after the package change is committed (a test fails until it does).
    """
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", *PACKAGE_PATHS],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.strip()
    if dirty and not draft:
        sys.exit(
            "commit the changes to dlnotes first: the Colab cell pins the commit that holds them\n"
            + dirty
        )
    return subprocess.run(
        ["git", "log", "-1", "--format=%H", "--", *PACKAGE_PATHS],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.strip()


def setup_cell_source(commit: str) -> str:
    return SETUP_TEMPLATE.format(url=repository_url(), commit=commit)


def stamp(nb: nbformat.NotebookNode, commit: str) -> None:
    first = nb.cells[0]
    if first.cell_type != "code" or "remove-cell" not in first.metadata.get("tags", []):
        raise ValueError("the first cell must be the set-up code cell, tagged remove-cell")
    first.source = setup_cell_source(commit)


def normalise(nb: nbformat.NotebookNode, name: str) -> None:
    """Remove what differs between two runs of the same notebook on the same machine."""
    coalesce = CoalesceStreamsPreprocessor()
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        if {"remove-output", "nbval-ignore-output"} <= tags:
            # hidden in the book, ignored by nbval: its timings would only add noise
            cell.outputs = []
            continue
        coalesce.preprocess_cell(cell, {}, index)
        widgets = 0
        for output in cell.outputs:
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is not None:
                view["model_id"] = uuid.uuid5(
                    uuid.NAMESPACE_URL, f"dlnotes:{name}:{index}:{widgets}"
                ).hex
                widgets += 1
    nb.metadata = {key: nb.metadata[key] for key in KEEP_METADATA if key in nb.metadata}
    nb.metadata.get("language_info", {}).pop("version", None)


def refresh(path: Path, commit: str, execute: bool = True) -> float:
    nb = nbformat.read(path, as_version=4)
    stamp(nb, commit)
    start = time.perf_counter()
    if execute:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        # IPC rather than TCP: no port that another kernel on the machine could take first.
        with tempfile.TemporaryDirectory() as sockets:
            ipc = Config(
                {"KernelManager": {"transport": "ipc", "ip": str(Path(sockets) / "kernel")}}
            )
            client = NotebookClient(
                nb,
                config=ipc,
                kernel_name="python3",
                timeout=300,
                record_timing=False,
                resources={"metadata": {"path": str(path.parent)}},
            )
            client.execute()
    normalise(nb, path.stem)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    # Kernels inherit it: a figure too small for the book's column warns on stderr
    # (dlnotes.plotting).
    os.environ.setdefault("DLNOTES_CHECK_FIGURE_TEXT", "1")
    flags = {"--stamp-only", "--draft"}
    execute = "--stamp-only" not in argv
    paths = [Path(p) for p in argv if p not in flags] or sorted(
        (ROOT / "notebooks").glob("*.ipynb")
    )
    commit = package_commit(draft="--draft" in argv)
    for path in paths:
        print(f"{path.name:40s} {refresh(path, commit, execute):6.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
