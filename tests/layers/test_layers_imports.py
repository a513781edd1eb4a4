"""Importing dlnotes and dlnotes.layers is cheap and never pulls in torch or OpenCV."""

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys, time
start = time.perf_counter()
import dlnotes
package_seconds = time.perf_counter() - start
import dlnotes.layers, dlnotes.gradcheck, dlnotes.shapes
print(json.dumps({
    "package_seconds": package_seconds,
    "heavy": sorted(
        m for m in ("torch", "cv2", "matplotlib", "scipy", "pandas") if m in sys.modules
    ),
    "layers_all": dlnotes.layers.__all__,
}))
"""


@pytest.fixture(scope="module")
def probe():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(result.stdout)


def test_layers_gradcheck_and_shapes_do_not_import_heavy_packages(probe):
    assert probe["heavy"] == []


def test_import_dlnotes_is_fast(probe):
    assert probe["package_seconds"] < 0.3


REQUIRED = {
    f"{layer}_{direction}"
    for layer in (
        "linear",
        "relu",
        "sigmoid",
        "tanh",
        "conv2d",
        "maxpool2d",
        "avgpool2d",
        "dropout",
        "batchnorm",
    )
    for direction in ("forward", "backward")
} | {"conv2d_naive", "softmax", "log_softmax", "softmax_cross_entropy", "mse_loss"}
REQUIRED |= {"nhwc_to_nchw", "nchw_to_nhwc", "hwio_to_oihw", "binary_focal_loss"}
CACHES = {
    "LinearCache": "dense",
    "Conv2dCache": "conv",
    "PoolCache": "pooling",
    "DropoutCache": "dropout",
    "BatchNormCache": "batchnorm",
    "ActivationCache": "activations",
}


def test_public_api_is_complete(probe):
    import dlnotes.layers

    assert set(probe["layers_all"]) >= REQUIRED
    for name in probe["layers_all"]:
        assert callable(getattr(dlnotes.layers, name)), name


def test_cache_types_are_re_exported(probe):
    import importlib

    import dlnotes.layers

    assert set(probe["layers_all"]) >= set(CACHES)
    for name, module in CACHES.items():
        cls = getattr(importlib.import_module(f"dlnotes.layers.{module}"), name)
        assert getattr(dlnotes.layers, name) is cls
