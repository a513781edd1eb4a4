"""Matplotlib set-up for Chinese labels.

Importing this module calls :func:`use_chinese_font`, so a notebook needs only
``import dlnotes.plotting`` (or any dlnotes helper that draws) before plotting.

The font comes from the ``pylopdf-fonts-zh-cn`` wheel (Noto Sans SC, SIL OFL
1.1), a dependency of dlnotes, so it is there on a fresh Linux machine, in
Binder and in Colab without system packages. If that wheel is missing, the
common system fonts of Windows (Microsoft YaHei), macOS (PingFang SC) and
Linux (Noto Sans CJK SC, WenQuanYi) are tried instead.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["use_chinese_font", "chinese_font_name", "SYSTEM_FALLBACKS"]

SYSTEM_FALLBACKS = (
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "SimHei",
)

_chosen: str | None = None


def _bundled_font() -> Path | None:
    try:
        root = importlib.resources.files("pylopdf_fonts_zh_cn")
    except ModuleNotFoundError:
        return None
    path = Path(str(root / "NotoSansSC-Regular.otf"))
    return path if path.is_file() else None


def chinese_font_name() -> str:
    """Return the family name of a font that has Chinese glyphs, registering it if needed.

    Raises
    ------
    RuntimeError
        If neither the bundled font nor any of :data:`SYSTEM_FALLBACKS` is available.
    """
    bundled = _bundled_font()
    if bundled is not None:
        font_manager.fontManager.addfont(str(bundled))
        return font_manager.FontProperties(fname=str(bundled)).get_name()
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    for name in SYSTEM_FALLBACKS:
        if name in installed:
            return name
    raise RuntimeError(
        "no font with Chinese glyphs found: expected the pylopdf-fonts-zh-cn package "
        f"or one of {', '.join(SYSTEM_FALLBACKS)}; install it with `pip install pylopdf-fonts-zh-cn`"
    )


def use_chinese_font() -> str:
    """Make matplotlib draw Chinese text; return the font family used.

    The Chinese font goes first in ``font.family`` and DejaVu Sans second, so
    Latin letters, digits and symbols still have a glyph. Mathtext keeps its
    own fonts, so ``$\\eta$`` and Chinese can share a label.
    """
    global _chosen
    if _chosen is None:
        _chosen = chinese_font_name()
    mpl.rcParams["font.family"] = [_chosen, "DejaVu Sans"]
    mpl.rcParams["mathtext.fontset"] = "dejavusans"
    return _chosen


use_chinese_font()
