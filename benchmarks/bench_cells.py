"""Which chapter cells run long, and whether they show a progress bar.

Executes every notebook in notebooks/ with a fresh kernel (as tools/refresh_notebooks.py
does) and prints each code cell that took longer than ``--over`` seconds, with the share of
its notebook's time and whether it shows dlnotes.progress. The contributing rule: a cell that
runs for more than about three seconds on two cores shows a progress bar. Run by hand; no test
depends on timings:

    PYTHONPATH=src python benchmarks/bench_cells.py              # about 2 minutes
    PYTHONPATH=src python benchmarks/bench_cells.py --over 1 notebooks/gan.ipynb
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def seconds(cell: nbformat.NotebookNode) -> float:
    stamps = cell.metadata.get("execution", {})
    start = datetime.datetime.fromisoformat(stamps["iopub.execute_input"].replace("Z", "+00:00"))
    end = datetime.datetime.fromisoformat(stamps["shell.execute_reply"].replace("Z", "+00:00"))
    return (end - start).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--over", type=float, default=2.0, help="report cells slower than this")
    args = parser.parse_args()
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(f"{'notebook':32s} {'cell':>4s} {'seconds':>8s} {'share':>6s}  progress bar")
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb, timeout=600, record_timing=True, resources={"metadata": {"path": str(path.parent)}}
        )
        client.execute()
        times = {i: seconds(c) for i, c in enumerate(nb.cells) if c.cell_type == "code"}
        total = sum(times.values())
        for i, t in times.items():
            if t > args.over:
                shown = "progress(" in nb.cells[i].source
                print(
                    f"{path.name:32s} {i:4d} {t:8.1f} {t / total:6.0%}  {'yes' if shown else 'NO'}"
                )


if __name__ == "__main__":
    main()
