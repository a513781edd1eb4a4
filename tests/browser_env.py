"""What the browser checks need from the environment: switches, the Chromium to drive, and when
to fail."""

from __future__ import annotations

import os
import shutil

import pytest

TRUE = {"1", "true", "yes", "on"}
FALSE = {"", "0", "false", "no", "off"}
# Nothing outside this machine may be contacted, even by Chromium's own services.
BLOCK_OUTSIDE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


def flag(name: str) -> bool:
    """True for 1/true/yes/on, False for unset, empty, 0/false/no/off (any case); else an error."""
    value = os.environ.get(name, "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError(
        f"{name} must be one of 1, true, yes, on (or 0, false, no, off), got {os.environ[name]!r}"
    )


def browser_required() -> bool:
    """Whether a missing Chromium or playwright fails the browser checks instead of skipping them
    (CI)."""
    return flag("DLNOTES_REQUIRE_BROWSER")


def chromium_path() -> str | None:
    """The browser named by CHROMIUM, else the first Chromium or Chrome on the PATH."""
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def skip_or_fail(reason: str):
    """Missing tools skip locally and fail where the browser check is required."""
    if browser_required():
        pytest.fail(reason)
    pytest.skip(reason)
