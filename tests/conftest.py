"""Suite-wide test settings.

Hypothesis is configured once, here. The default profile is deterministic:
every run, on every machine, draws the same examples (``derandomize``), keeps
no example database, and prints the blob that reproduces a failure. The
``fuzz`` profile (``HYPOTHESIS_PROFILE=fuzz``, used by ``make fuzz``) draws
fresh examples, ten times as many, to find what the fixed ones miss. The
``smoke`` profile (5 fixed examples) is for runs that test the suite itself,
such as the run without the optional packages, not the properties.

``DLNOTES_HIDE_MODULES=torch,cv2,sklearn`` makes those packages unimportable,
to prove that the tests which need an optional dependency skip cleanly.
"""

from __future__ import annotations

import importlib.abc
import os
import sys

from hypothesis import HealthCheck, settings

COMMON = {
    "deadline": None,
    "database": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow],
}
settings.register_profile("dlnotes", max_examples=40, derandomize=True, **COMMON)
settings.register_profile("fuzz", max_examples=400, derandomize=False, **COMMON)
settings.register_profile("smoke", max_examples=5, derandomize=True, **COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dlnotes"))


class _HiddenModules(importlib.abc.MetaPathFinder):
    """Refuse to import the named top-level packages, as if they were not installed."""

    def __init__(self, names: set[str]):
        self.names = names

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in self.names:
            raise ModuleNotFoundError(
                f"No module named {fullname!r} (hidden by DLNOTES_HIDE_MODULES)", name=fullname
            )


_hidden = {
    name.strip() for name in os.environ.get("DLNOTES_HIDE_MODULES", "").split(",") if name.strip()
}
if _hidden:
    already = sorted(name for name in _hidden if name in sys.modules)
    if already:
        raise RuntimeError(
            f"DLNOTES_HIDE_MODULES: {already} were imported before the test suite started"
        )
    sys.meta_path.insert(0, _HiddenModules(_hidden))
