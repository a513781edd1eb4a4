"""dlnotes: small, tested helpers for the course 《深度学习基础》.

Importing this package is cheap: it never imports torch or OpenCV. The topic
modules are loaded on first attribute access (``dlnotes.linear``,
``dlnotes.layers``, ...), so ``import dlnotes`` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

__version__ = "0.1.0"

# Every module and subpackage next to this file, found on disk, so a new one can never be
# left out of the lazy loader or of the import tests.
_SUBMODULES = frozenset(
    info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")
)

__all__ = ["__version__", *sorted(_SUBMODULES)]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
