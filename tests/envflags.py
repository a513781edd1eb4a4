"""Yes/no switches read from the environment, spelled as people spell them."""

from __future__ import annotations

import os

TRUE = {"1", "true", "yes", "on"}
FALSE = {"", "0", "false", "no", "off"}


def flag(name: str) -> bool:
    """True for 1/true/yes/on, False for unset, empty, 0/false/no/off (any case); else an error."""
    value = os.environ.get(name, "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError(f"{name} must be one of 1, true, yes, on (or 0, false, no, off), got {os.environ[name]!r}")


def browser_required() -> bool:
    """Whether a missing Chromium or playwright fails the browser checks instead of skipping them (CI)."""
    return flag("DLNOTES_REQUIRE_BROWSER")
