"""Every package the notebooks and dlnotes import is installed by each environment file."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Modules that come with the notebook kernel itself (ipykernel depends on them).
KERNEL_MODULES = {"IPython", "matplotlib_inline", "ipykernel"}


def imported_top_level_modules() -> set[str]:
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "src" / "dlnotes").rglob("*.py")]
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                # drop IPython magics so the cell parses as Python
                sources.append(
                    re.sub(r"^(\s*)[%!].*$", r"\1pass", "".join(cell["source"]), flags=re.M)
                )
    names: set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {
        n
        for n in names
        if n not in sys.stdlib_module_names and n != "dlnotes" and n not in KERNEL_MODULES
    }


def requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[<>=!~\[; ]", line)[0].lower().replace("_", "-"))
    return names


def test_imports_were_found():
    modules = imported_top_level_modules()
    assert {"numpy", "matplotlib", "torch", "cv2"} <= modules


@pytest.mark.parametrize("requirements", ["requirements.txt", "binder/requirements.txt"])
def test_every_imported_package_is_required(requirements):
    distributions = importlib.metadata.packages_distributions()
    listed = requirement_names(ROOT / requirements)
    missing = []
    for module in sorted(imported_top_level_modules()):
        provided_by = {d.lower().replace("_", "-") for d in distributions.get(module, [])}
        assert provided_by, f"no installed distribution provides the module {module!r}"
        if not provided_by & listed:
            missing.append(f"{module} (from {', '.join(sorted(provided_by))})")
    assert not missing, f"{requirements} does not install: {missing}"
