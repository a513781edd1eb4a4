"""There is one CI entry point: the GitHub workflow runs .ci/run, which runs make test."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_the_workflow_runs_ci_run_and_nothing_else_tests():
    workflow = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8")
    )
    runs = [
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    ]
    assert runs == ["bash .ci/run"], f"the workflow should only run .ci/run, got {runs}"


def test_ci_run_runs_make_test_with_the_browser_required():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export DLNOTES_REQUIRE_BROWSER=1" in script
    assert "\nmake test\n" in script


def test_every_test_module_has_a_unique_file_name():
    # tests/ has no __init__.py files, so pytest imports each test module by its
    # bare file name: two files named alike stop the whole collection.
    seen: dict[str, Path] = {}
    clashes = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        if path.name in seen:
            clashes.append(f"{seen[path.name].relative_to(ROOT)} and {path.relative_to(ROOT)}")
        seen.setdefault(path.name, path)
    assert not clashes, "test modules that share a file name: " + "; ".join(clashes)
