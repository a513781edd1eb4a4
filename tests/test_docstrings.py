"""Every ``>>>`` example in a dlnotes docstring runs and prints what it shows.

The modules are discovered, not listed, so a new module's examples are run too.
Examples that need an optional dependency (torch, OpenCV, scikit-learn) are
skipped when it is missing, like the other tests.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import dlnotes

OPTIONAL = {"torch", "cv2", "sklearn"}
MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(dlnotes.__path__, prefix="dlnotes.")
    if not info.name.split(".")[-1].startswith("__")
)
# Examples print rounded or boolean results, so they never depend on round-off.
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


class _Runner(doctest.DocTestRunner):
    """A runner that remembers which optional package an example could not import."""

    missing: str | None = None

    def report_unexpected_exception(self, out, test, example, exc_info):
        error = exc_info[1]
        if isinstance(error, ModuleNotFoundError) and (error.name or "").split(".")[0] in OPTIONAL:
            self.missing = error.name
        super().report_unexpected_exception(out, test, example, exc_info)


def test_modules_are_found():
    assert {"dlnotes.gradcheck", "dlnotes.layers.conv", "dlnotes.linear.least_squares"} <= set(
        MODULES
    )


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    tests = [t for t in doctest.DocTestFinder(exclude_empty=True).find(module, name) if t.examples]
    if not tests:
        pytest.skip(f"{name} has no examples")
    runner = _Runner(optionflags=FLAGS)
    report: list[str] = []
    for test in tests:
        runner.run(test, out=report.append)
    if runner.missing:
        pytest.skip(f"an example in {name} needs {runner.missing}, which is not installed")
    assert runner.failures == 0, "".join(report)


def test_a_wrong_example_is_reported():
    parser = doctest.DocTestParser()
    test = parser.get_doctest(">>> 1 + 1\n3\n", {}, "wrong", "wrong.py", 0)
    runner = _Runner(optionflags=FLAGS)
    report: list[str] = []
    runner.run(test, out=report.append)
    assert runner.failures == 1 and "Expected:\n    3\nGot:\n    2" in "".join(report)
