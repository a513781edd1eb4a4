"""No dlnotes module pulls in torch, OpenCV or scikit-learn when it is imported.

Those are only needed inside the functions that use them, so ``import dlnotes.x``
stays cheap and works where they are missing. The modules are found on disk,
not listed by hand, so a new module cannot escape these tests.
"""

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import dlnotes

HEAVY = ("torch", "cv2", "sklearn")
PACKAGE_DIR = Path(dlnotes.__file__).parent
ALL_MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(dlnotes.__path__, prefix="dlnotes.")
    if not info.name.rsplit(".", 1)[-1].startswith("_")
)


def _modules_on_disk() -> set[str]:
    names = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        parts = path.relative_to(PACKAGE_DIR).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and not any(p.startswith("_") for p in parts):
            names.add(".".join(("dlnotes", *parts)))
    return names


def test_every_module_on_disk_is_tested():
    assert set(ALL_MODULES) == _modules_on_disk()


def test_the_lazy_loader_knows_every_top_level_module():
    top_level = {name.split(".")[1] for name in ALL_MODULES}
    assert set(dlnotes._SUBMODULES) == top_level
    for name in top_level:
        assert getattr(dlnotes, name).__name__ == f"dlnotes.{name}"


def test_an_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'no_such_module'"):
        dlnotes.no_such_module


@pytest.mark.parametrize("module", ALL_MODULES)
def test_importing_a_module_loads_no_heavy_package(module):
    code = (
        f"import json, sys, {module}; "
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(result.stdout) == [], f"importing {module} loaded {result.stdout.strip()}"
