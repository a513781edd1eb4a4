"""The student-edition tests. Those marked ``student_run`` execute whole notebooks (minutes):
they run only when selected, ``pytest -m student_run tests/student``."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config, items):
    if "student_run" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="executes every student notebook; select with -m student_run")
    for item in items:
        if "student_run" in item.keywords:
            item.add_marker(skip)
