"""dlnotes: small, tested helpers for the course 《深度学习基础》.

Importing this package is cheap: it never imports torch or OpenCV. The topic
modules are loaded on first attribute access (``dlnotes.linear``,
``dlnotes.layers``, ...), so ``import dlnotes`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_SUBMODULES = {
    "checks",
    "classification_losses",
    "datasets",
    "detection",
    "device",
    "edges",
    "generalization",
    "gradcheck",
    "grids",
    "image_data",
    "layers",
    "linear",
    "metrics",
    "network_diagram",
    "optim",
    "plotting",
    "progress",
    "segmentation",
    "shapes",
    "small_cnn",
}

__all__ = ["__version__", *sorted(_SUBMODULES)]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
