"""tests/browser_env.py: DLNOTES_REQUIRE_BROWSER and friends accept the usual spellings."""

import pytest

from browser_env import browser_required, flag


@pytest.mark.parametrize("value", ["1", "true", "yes", "TRUE", "Yes", " on "])
def test_true_spellings(monkeypatch, value):
    monkeypatch.setenv("DLNOTES_REQUIRE_BROWSER", value)
    assert browser_required() is True


@pytest.mark.parametrize("value", ["", "0", "false", "no", "NO", "off"])
def test_false_spellings(monkeypatch, value):
    monkeypatch.setenv("DLNOTES_REQUIRE_BROWSER", value)
    assert browser_required() is False


def test_unset_is_false(monkeypatch):
    monkeypatch.delenv("DLNOTES_SOME_FLAG", raising=False)
    assert flag("DLNOTES_SOME_FLAG") is False


def test_anything_else_is_an_error(monkeypatch):
    monkeypatch.setenv("DLNOTES_REQUIRE_BROWSER", "y3s")
    with pytest.raises(
        ValueError, match=r"DLNOTES_REQUIRE_BROWSER must be one of 1, true, yes, on .* got 'y3s'"
    ):
        browser_required()
