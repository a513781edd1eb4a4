"""Write the student edition of the course: every notebook without its solutions, and a zip.

Usage:
    python tools/make_student.py [OUT_DIR]      (default: _build/student)

For each ``notebooks/*.ipynb`` it writes ``OUT_DIR/NAME.ipynb`` and then
``OUT_DIR/deep-learning-basics-student.zip``, which holds the same files as the course zip
(``book/_ext/course_zip.py``: dlnotes, install files) with the student notebooks in place of
the instructor ones. The instructor notebooks are only read, never written.

What a student notebook loses:

* solution text: every ```` ```{solution} ```` block, and everything between
  ```` ```{solution-start} ```` and ```` ```{solution-end} ````, markdown and code cells alike;
  the exercise text stays;
* the reference answer of each implement-it cell (tag ``implement-it``): the lines between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers) become one
  ``raise NotImplementedError(...)``; the function signature and the checker call stay, and the
  cell stays where it was, even inside a solution block;
* outputs of every code cell from the first exercise on (the exercises close each chapter, so
  nothing after them is part of the reading), so a learner does not see what the answers print.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "_build" / "student"
ZIP_NAME = "deep-learning-basics-student.zip"
TOP = "deep-learning-basics-student"
IMPLEMENT_TAG = "implement-it"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = 'raise NotImplementedError("请在这里写出你的实现")'

_FENCE = r"(`{3,}|:{3,})"
SOLUTION_BLOCK = re.compile(rf"^\s*{_FENCE}\{{solution\}}")
SOLUTION_START = re.compile(rf"^\s*{_FENCE}\{{solution-start\}}")
SOLUTION_END = re.compile(rf"^\s*{_FENCE}\{{solution-end\}}")
EXERCISE = re.compile(rf"^\s*{_FENCE}\{{exercise(-start)?\}}", re.M)


def _course_zip():
    """book/_ext/course_zip.py, which knows what else a learner needs besides the notebooks."""
    spec = importlib.util.spec_from_file_location(
        "course_zip", ROOT / "book" / "_ext" / "course_zip.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def strip_solutions(text: str, in_solution: bool) -> tuple[str, bool]:
    """Remove solution blocks from one markdown cell.

    ``in_solution`` says whether the cell starts inside a solution-start/solution-end pair; the
    returned flag says whether it ends inside one.
    """
    kept: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if in_solution:
            end = SOLUTION_END.match(line)
            if end:
                in_solution = False
                fence = end.group(1)
                if i + 1 < len(lines) and lines[i + 1].strip() == fence:
                    i += 1  # the directive's closing fence
            i += 1
            continue
        start, block = SOLUTION_START.match(line), SOLUTION_BLOCK.match(line)
        if start:
            in_solution = True
        elif block:
            fence = block.group(1)
            i += 1
            while i < len(lines) and lines[i].strip() != fence:
                i += 1
        else:
            kept.append(line)
        i += 1
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
    return cleaned, in_solution


def stub_source(source: str) -> str:
    """An implement-it cell with its reference lines replaced by ``raise NotImplementedError``."""
    out: list[str] = []
    inside = False
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped == BEGIN:
            inside = True
            out.append(line[: len(line) - len(line.lstrip())] + STUB)
        elif stripped == END:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{BEGIN!r} without {END!r} in an implement-it cell")
    return "\n".join(out)


def _source(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def _set_source(cell: dict, text: str) -> None:
    parts = text.split("\n")
    cell["source"] = [p + "\n" for p in parts[:-1]] + [parts[-1]]


def student_notebook(nb: dict) -> dict:
    """The student edition of one notebook (a new dict; ``nb`` is left as it was)."""
    nb = copy.deepcopy(nb)
    cells: list[dict] = []
    in_solution = False
    exercises_began = False
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = _source(cell)
            exercises_began = exercises_began or bool(EXERCISE.search(text))
            text, in_solution = strip_solutions(text, in_solution)
            if text.strip():
                _set_source(cell, text)
                cells.append(cell)
            continue
        implement = IMPLEMENT_TAG in cell.get("metadata", {}).get("tags", [])
        if in_solution and not implement:
            continue
        if implement:
            if BEGIN not in _source(cell):
                raise ValueError(f"an implement-it cell without {BEGIN!r}: {_source(cell)[:80]!r}")
            _set_source(cell, stub_source(_source(cell)))
        if cell["cell_type"] == "code" and (exercises_began or implement):
            cell["outputs"] = []
            cell["execution_count"] = None
        cells.append(cell)
    if in_solution:
        raise ValueError("a {solution-start} without its {solution-end}")
    nb["cells"] = cells
    return nb


def _dump(nb: dict) -> bytes:
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def student_editions(root: Path = ROOT) -> dict[str, bytes]:
    """``notebooks/NAME.ipynb`` → the bytes of its student edition, for every notebook."""
    editions = {}
    for path in sorted((Path(root) / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        editions[f"notebooks/{path.name}"] = _dump(student_notebook(nb))
    return editions


def write_student_zip(root: Path, dest_dir: Path, editions: dict[str, bytes] | None = None) -> Path:
    """Write ``dest_dir/deep-learning-basics-student.zip``: the course zip, student notebooks."""
    editions = student_editions(root) if editions is None else editions
    return _course_zip().write_course_zip(
        Path(root), Path(dest_dir), zip_name=ZIP_NAME, top=TOP, replace=editions
    )


def write_student_edition(root: Path = ROOT, out_dir: Path = DEFAULT_OUT) -> list[Path]:
    """Write every student notebook and the zip into ``out_dir``; return the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    editions = student_editions(root)
    written = []
    for relative, data in editions.items():
        target = out_dir / Path(relative).name
        target.write_bytes(data)
        written.append(target)
    written.append(write_student_zip(root, out_dir, editions))
    return written


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else DEFAULT_OUT
    written = write_student_edition(ROOT, out_dir)
    print(f"学生版已写入 / student edition written: {out_dir} ({len(written) - 1} 个笔记本 + zip)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
