"""Put the whole course, as one zip, into the built site.

Learners who cannot reach GitHub (often the case in mainland China) download
``_downloads/deep-learning-basics.zip`` from the site itself. It holds the
chapter notebooks, the ``dlnotes`` package and every file that the README's
install commands need, inside one folder named like a ``git clone``.

The student edition (no solutions, ``tools/make_student.py``) goes next to it, as
``_downloads/deep-learning-basics-student.zip``.

Run as a script to write the zip elsewhere: ``python book/_ext/course_zip.py DIR``.
"""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

ZIP_NAME = "deep-learning-basics.zip"
TOP = "deep-learning-basics"
# Install files first, then the learner's material and what `make book` needs to build the site.
FILES = (
    "README.md",
    "LICENSE",
    "pyproject.toml",
    "requirements.txt",
    "constraints.txt",
    "Makefile",
    "_config.yml",
    "_toc.yml",
)
PATTERNS = (
    "notebooks/*.ipynb",
    "src/dlnotes/**/*.py",
    "src/dlnotes/py.typed",
    "src/dlnotes/datasets/data/*.txt",
    "book/**/*",
)
# A fixed timestamp, so an unchanged course gives a byte-identical zip.
STAMP = (2026, 1, 1, 0, 0, 0)


def members(root: Path) -> list[Path]:
    """The course files under ``root``, relative to it, in a stable order."""
    found = {Path(name) for name in FILES}
    for pattern in PATTERNS:
        found.update(p.relative_to(root) for p in root.glob(pattern) if p.is_file())
    missing = sorted(str(p) for p in found if not (root / p).is_file())
    if missing:
        raise FileNotFoundError(f"course zip: missing {missing}")
    return sorted(
        (p for p in found if "__pycache__" not in p.parts and p.suffix != ".pyc"),
        key=lambda p: p.as_posix(),
    )


def write_course_zip(
    root: Path,
    dest_dir: Path,
    *,
    zip_name: str = ZIP_NAME,
    top: str = TOP,
    replace: Mapping[str, bytes] | None = None,
) -> Path:
    """Write ``dest_dir/deep-learning-basics.zip`` from the course at ``root``.

    ``replace`` maps member paths (``notebooks/gan.ipynb``) to other contents: the student
    edition (``tools/make_student.py``) is this zip with its notebooks replaced.
    """
    root = Path(root)
    replace = dict(replace or {})
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / zip_name
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in members(root):
            info = zipfile.ZipInfo(f"{top}/{relative.as_posix()}", date_time=STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = replace.pop(relative.as_posix(), None)
            archive.writestr(info, (root / relative).read_bytes() if data is None else data)
    if replace:
        partial.unlink()
        raise ValueError(f"course zip: nothing to replace at {sorted(replace)}")
    partial.replace(target)
    return target


def write_student_zip(root: Path, dest_dir: Path) -> Path:
    """The student edition's zip, written by ``tools/make_student.py`` (loaded from its file)."""
    spec = importlib.util.spec_from_file_location(
        "make_student", root / "tools" / "make_student.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_student_zip(root, dest_dir)


def _on_build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        write_course_zip(Path(app.srcdir), Path(app.outdir) / "_downloads")
        write_student_zip(Path(app.srcdir), Path(app.outdir) / "_downloads")


def setup(app) -> dict[str, object]:
    app.connect("build-finished", _on_build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    print(write_course_zip(Path(__file__).resolve().parents[2], Path(sys.argv[1])))
