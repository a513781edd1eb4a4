"""No dlnotes module pulls in torch, OpenCV or scikit-learn when it is imported.

Those are only needed inside the functions that use them, so ``import dlnotes.x``
stays cheap and works where they are missing.
"""

import json
import subprocess
import sys

import pytest

import dlnotes

HEAVY = ("torch", "cv2", "sklearn")


@pytest.mark.parametrize("module", sorted(dlnotes._SUBMODULES))
def test_importing_a_module_loads_no_heavy_package(module):
    code = (
        f"import json, sys, dlnotes.{module}; "
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(result.stdout) == [], (
        f"importing dlnotes.{module} loaded {result.stdout.strip()}"
    )
