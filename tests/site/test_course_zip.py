"""The built site offers the whole course as one zip (book/_ext/course_zip.py writes it).

Learners who cannot reach GitHub download it from the site; the README links it.
tests/test_readme.py installs a clean environment from the same zip and runs a chapter.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[2]
TOP = "deep-learning-basics"


def test_site_offers_the_course_zip(site_dir):
    archive = site_dir / "_downloads" / f"{TOP}.zip"
    assert archive.is_file(), f"the build wrote no {archive.relative_to(site_dir)}"
    with zipfile.ZipFile(archive) as course:
        assert course.testzip() is None, "a damaged member in the course zip"
        names = {PurePosixPath(n) for n in course.namelist()}

    assert {n.parts[0] for n in names} == {TOP}, "everything should unpack into one folder"
    inside = {PurePosixPath(*n.parts[1:]).as_posix() for n in names}
    expected = {"README.md", "LICENSE", "pyproject.toml", "requirements.txt", "constraints.txt"}
    expected |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("*.ipynb")}
    expected |= {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "src" / "dlnotes").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    expected |= {  # package data (the texts of dlnotes.datasets)
        p.relative_to(ROOT).as_posix() for p in (ROOT / "src" / "dlnotes").rglob("*.txt")
    }
    missing = sorted(expected - inside)
    assert not missing, f"the course zip lacks {missing}"
    stray = sorted(
        n
        for n in inside
        if n.startswith(("tests/", ".venv/", "_build/", ".git/")) or "__pycache__" in n
    )
    assert not stray, f"the course zip holds files a learner does not need: {stray[:5]}"


def test_site_offers_the_student_edition(site_dir):
    archive = site_dir / "_downloads" / f"{TOP}-student.zip"
    assert archive.is_file(), f"the build wrote no {archive.relative_to(site_dir)}"
    with zipfile.ZipFile(archive) as student:
        assert student.testzip() is None, "a damaged member in the student zip"
        notebooks = {
            PurePosixPath(n).name: student.read(n).decode("utf-8")
            for n in student.namelist()
            if n.endswith(".ipynb")
        }
    assert set(notebooks) == {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    for name, text in notebooks.items():
        assert "BEGIN SOLUTION" not in text and "{solution" not in text, name
    stubs = sum(text.count("NotImplementedError") for text in notebooks.values())
    assert stubs >= 5, f"only {stubs} implement-it stubs in the student edition"
    assert "_downloads/deep-learning-basics-student.zip" in (ROOT / "book" / "intro.md").read_text(
        encoding="utf-8"
    ), "the preface does not link the student edition"
