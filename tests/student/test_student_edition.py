"""make student: solutions removed, implement-it stubs that raise, checkers that accept the
reference answers pasted back, instructor notebooks untouched, and a zip of it all."""

from __future__ import annotations

import hashlib
import inspect
import json
import re
import time
import zipfile
from pathlib import Path

import pytest

from source_modules import load_source

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# Every chapter has at least one implement-it exercise; the errata page is no chapter.
IMPLEMENT_IT_CHAPTERS = {p.stem for p in NOTEBOOKS} - {"errata"}


make_student = load_source("tools/make_student.py")


def source(cell: dict) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def implement_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if "implement-it" in c["metadata"].get("tags", [])]


def digests() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in NOTEBOOKS}


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    before = digests()
    out = tmp_path_factory.mktemp("student")
    written = make_student.write_student_edition(ROOT, out)
    return {"dir": out, "written": written, "before": before, "after": digests()}


def student(edition, path: Path) -> dict:
    return load(edition["dir"] / path.name)


def test_the_instructor_notebooks_are_unchanged(edition):
    assert edition["after"] == edition["before"]


def test_every_notebook_has_a_student_edition_and_a_zip(edition):
    names = {p.name for p in edition["written"]}
    assert names == {p.name for p in NOTEBOOKS} | {"deep-learning-basics-student.zip"}


# ---- an independent reading of the instructor notebooks: what counts as solution text ----

FENCE = r"(`{3,}|:{3,})"


def solution_texts(nb: dict) -> set[str]:
    """Distinctive lines of every solution (markdown and code), found without the tool."""
    inside_pair, texts, outside = False, [], []
    for cell in nb["cells"]:
        text = source(cell)
        implement = "implement-it" in cell["metadata"].get("tags", [])
        if cell["cell_type"] == "code":
            if implement:
                body = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", text, re.S)
                texts += body.group(1).splitlines()
                outside += [line for line in text.splitlines() if line not in body.group(1)]
            else:
                (texts if inside_pair else outside).extend(text.splitlines())
            continue
        lines, i = text.splitlines(), 0
        while i < len(lines):
            line = lines[i]
            if inside_pair:
                if re.match(rf"{FENCE}\{{solution-end\}}", line):
                    inside_pair = False
                else:
                    texts.append(line)
            elif re.match(rf"{FENCE}\{{solution-start\}}", line):
                inside_pair = True
            elif match := re.match(rf"{FENCE}\{{solution\}}", line):
                i += 1
                while lines[i].strip() != match.group(1):
                    texts.append(lines[i])
                    i += 1
            else:
                outside.append(line)
            i += 1
    common = "\n".join(outside)  # a line that the chapter also shows elsewhere is not distinctive
    return {
        t.strip()
        for t in texts
        if len(t.strip()) >= 12 and t.strip() not in common and not t.strip().startswith(":")
    }


def all_text(nb: dict) -> str:
    return "\n".join(source(c) for c in nb["cells"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_solution_text_survives(edition, path):
    text = all_text(student(edition, path))
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert "{solution" not in text
    leaked = sorted(t for t in solution_texts(load(path)) if t in text)
    assert not leaked, f"{path.name}: solution text left in the student edition: {leaked[:3]}"


def test_the_solution_search_finds_solutions():
    # guards the test above: it must find something to look for in every chapter
    for path in NOTEBOOKS:
        if path.stem != "errata" and "{solution" in all_text(load(path)):
            assert solution_texts(load(path)), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_exercise_texts_stay(edition, path):
    instructor, text = all_text(load(path)), all_text(student(edition, path))
    labels = re.findall(r"\{exercise\}\n:label: (\S+)", instructor)
    for label in labels:
        assert f":label: {label}" in text, f"{path.name}: exercise {label} lost"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercise_outputs_are_cleared(edition, path):
    began = False
    for cell in student(edition, path)["cells"]:
        began = began or "{exercise}" in source(cell)
        if began and cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


def test_every_chapter_has_an_implement_it_cell_whose_stored_verdict_is_correct():
    found = {p.stem for p in NOTEBOOKS if implement_cells(load(p))}
    assert found >= IMPLEMENT_IT_CHAPTERS, (
        f"no implement-it cell in {sorted(IMPLEMENT_IT_CHAPTERS - found)}"
    )
    for path in NOTEBOOKS:
        for cell in implement_cells(load(path)):
            shown = "".join(
                "".join(o.get("data", {}).get("text/plain", "")) for o in cell.get("outputs", [])
            )
            assert shown.startswith("正确！"), f"{path.name}: stored verdict {shown!r}"


def implement_pairs(edition):
    for path in NOTEBOOKS:
        pairs = zip(implement_cells(load(path)), implement_cells(student(edition, path)))
        for instructor, stub in pairs:
            yield path.name, source(instructor), source(stub)


def run_cell(code: str):
    """Execute an implement-it cell (numpy is what the chapters import for it); return the
    checker's verdict (the last line) and the namespace."""
    body, _, last = code.rstrip().rpartition("\n")
    namespace: dict = {}
    exec("import numpy as np\n" + body, namespace)
    return eval(last, namespace), namespace


def test_every_stub_raises_not_implemented(edition):
    pairs = list(implement_pairs(edition))
    assert len(pairs) >= len(IMPLEMENT_IT_CHAPTERS)
    for name, _, stub in pairs:
        assert 'raise NotImplementedError("请在这里写出你的实现")' in stub, name
        verdict, namespace = run_cell(stub)
        assert not verdict and "还没有实现" in repr(verdict), name
        func_name = re.search(r"^def (\w+)\(", stub, re.M).group(1)
        func = namespace[func_name]
        with pytest.raises(NotImplementedError):
            func(*[None] * len(inspect.signature(func).parameters))


def test_pasting_the_reference_back_makes_each_checker_say_correct(edition):
    for name, instructor, stub in implement_pairs(edition):
        answer = re.search(r"### BEGIN SOLUTION\n(.*?)\n[ \t]*### END SOLUTION", instructor, re.S)
        stub_line = re.search(r"^[ \t]*raise NotImplementedError\(.*\)$", stub, re.M)
        pasted = stub[: stub_line.start()] + answer.group(1) + stub[stub_line.end() :]
        verdict, _ = run_cell(pasted)
        assert verdict, f"{name}: {verdict!r}"
        assert repr(verdict).startswith("正确！")


def test_the_zip_holds_the_edition(edition):
    archive = edition["dir"] / "deep-learning-basics-student.zip"
    top = "deep-learning-basics-student"
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert {n.split("/")[0] for n in names} == {top}
        for path in NOTEBOOKS:
            member = f"{top}/notebooks/{path.name}"
            assert z.read(member) == (edition["dir"] / path.name).read_bytes()
        assert f"{top}/src/dlnotes/check/__init__.py" in names
        assert f"{top}/requirements.txt" in names
        assert not any(
            "BEGIN SOLUTION" in z.read(n).decode("utf-8", "replace")
            for n in names
            if n.endswith(".ipynb")
        )


def test_a_solution_block_is_removed_and_a_stub_is_made():
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "读这里。"},
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": "```{exercise}\n:label: ex-a\n题目 A\n```\n\n"
                "```{solution} ex-a\n:class: dropdown\n答案 A 的秘密\n```\n\n"
                "```{exercise}\n:label: ex-b\n题目 B\n```\n\n"
                "```{solution-start} ex-b\n:class: dropdown\n```\n答案 B 的开头",
            },
            {"cell_type": "code", "metadata": {}, "source": "secret_b = 1", "outputs": [1]},
            {
                "cell_type": "code",
                "metadata": {"tags": ["implement-it"]},
                "outputs": ["shown"],
                "execution_count": 3,
                "source": "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n"
                "\ncheck.thing(f)",
            },
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": "答案 B 的结尾\n```{solution-end}\n```\n\n## 小结",
            },
        ]
    }
    out = make_student.student_notebook(nb)
    texts = [source(c) for c in out["cells"]]
    assert texts[0] == "读这里。"
    assert "题目 A" in texts[1] and "题目 B" in texts[1] and "答案" not in texts[1]
    assert texts[2] == (
        'def f(x):\n    raise NotImplementedError("请在这里写出你的实现")\n\ncheck.thing(f)'
    )
    assert out["cells"][2]["outputs"] == [] and out["cells"][2]["execution_count"] is None
    assert texts[3] == "## 小结"
    assert "secret_b" not in "".join(texts)
    assert source(nb["cells"][2]) == "secret_b = 1"  # the input is not modified


def test_unbalanced_markers_are_errors():
    unclosed = {
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": "```{solution-start} x\n```"}]
    }
    with pytest.raises(ValueError, match="solution-end"):
        make_student.student_notebook(unclosed)
    no_end = "def f():\n    ### BEGIN SOLUTION\n    return 1"
    with pytest.raises(ValueError, match="END SOLUTION"):
        make_student.stub_source(no_end)


@pytest.mark.student_run
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_student_notebook_runs_and_only_a_stub_may_fail(edition, path):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    nb = nbformat.read(edition["dir"] / path.name, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=300,
        allow_errors=True,
        resources={"metadata": {"path": str(edition["dir"])}},
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    errors = [
        (index, output["ename"])
        for index, cell in enumerate(nb.cells)
        for output in cell.get("outputs", [])
        if output["output_type"] == "error"
    ]
    assert all(ename == "NotImplementedError" for _, ename in errors), errors
    print(f"\n{path.name}: {elapsed:.1f} s")
