"""tools/other_numerics.py really changes the numerical configuration it claims to change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "other_numerics.py"
PROBE = """
import json, threadpoolctl, numpy, torch
features = numpy._core._multiarray_umath.__cpu_features__
blas = [i for i in threadpoolctl.threadpool_info() if i["internal_api"] == "openblas"]
print(json.dumps({
    "avx512": [name for name in ("X86_V4", "AVX512_ICL", "AVX512_SPR") if features.get(name)],
    "blas": [(i.get("architecture"), i["num_threads"]) for i in blas],
    "torch": [torch.backends.cpu.get_cpu_capability(), torch.get_num_threads()],
}))
"""


def probe(env: dict[str, str] | None = None, through_tool: bool = False) -> dict:
    # -W error::ImportWarning: numpy warns (and otherwise ignores) a feature name it does not
    # dispatch.
    command = [sys.executable, "-W", "error::ImportWarning", "-c", PROBE]
    if through_tool:
        command = [sys.executable, str(TOOL), *command]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def settings() -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, str(TOOL), "--print"], capture_output=True, text=True, check=True
    )
    return dict(
        line.removeprefix("other numerics: ").split("=", 1)
        for line in out.stdout.splitlines()
        if "=" in line
    )


@pytest.fixture(scope="module")
def default():
    pytest.importorskip("torch")
    pytest.importorskip("threadpoolctl")
    return probe()


def test_the_settings_take_effect(default):
    env = settings()
    other = probe(through_tool=True)
    assert other["avx512"] == [], f"numpy still dispatches {other['avx512']}"
    assert all(threads == 1 for _, threads in other["blas"]), other["blas"]
    assert other["torch"] == [env["ATEN_CPU_CAPABILITY"].upper(), 1]
    if "OPENBLAS_CORETYPE" in env:
        assert [arch.lower() for arch, _ in other["blas"]] == [env["OPENBLAS_CORETYPE"].lower()]
        assert other["blas"] != default["blas"], "the BLAS kernel did not change"
    assert other["torch"][0] != default["torch"][0] or default["torch"][0] == "DEFAULT"


def test_a_feature_name_numpy_does_not_dispatch_is_caught():
    # AVX512F is a real CPU flag but not a numpy 2.x dispatch target: numpy would ignore it
    # silently.
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": "AVX512F"}
    with pytest.raises(subprocess.CalledProcessError):
        subprocess.run(
            [sys.executable, "-W", "error::ImportWarning", "-c", "import numpy"],
            capture_output=True,
            check=True,
            timeout=60,
            env=env,
        )
