"""Import a script of the repository (under tools/ or book/_ext/) that is not a package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load_source(relative: str, name: str | None = None) -> ModuleType:
    """The module in ``ROOT / relative`` (e.g. ``"tools/glossary.py"``), registered under
    ``name`` (default: the file's stem) so that dataclasses can find it."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(name or path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
