"""Put the whole course, as one zip, into the built site.

Learners who cannot reach GitHub (often the case in mainland China) download
``_downloads/deep-learning-basics.zip`` from the site itself. It holds the
chapter notebooks, the ``dlnotes`` package and every file that the README's
install commands need, inside one folder named like a ``git clone``.

Run as a script to write the zip elsewhere: ``python book/_ext/course_zip.py DIR``.
"""

from __future__ import annotations

import sys
import zipfile
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


def write_course_zip(root: Path, dest_dir: Path) -> Path:
    """Write ``dest_dir/deep-learning-basics.zip`` from the course at ``root``."""
    root = Path(root)
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / ZIP_NAME
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in members(root):
            info = zipfile.ZipInfo(f"{TOP}/{relative.as_posix()}", date_time=STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (root / relative).read_bytes())
    partial.replace(target)
    return target


def _on_build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        write_course_zip(Path(app.srcdir), Path(app.outdir) / "_downloads")


def setup(app) -> dict[str, object]:
    app.connect("build-finished", _on_build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    print(write_course_zip(Path(__file__).resolve().parents[2], Path(sys.argv[1])))
