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
