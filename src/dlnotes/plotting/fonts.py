"""Chinese labels in matplotlib, and notebook plots stored at twice their resolution.

The font comes from the ``pylopdf-fonts-zh-cn`` wheel (Noto Sans SC, SIL OFL
1.1), a dependency of dlnotes, so it is there on a fresh Linux machine, in
Binder and in Colab without system packages. If that wheel is missing, the
common system fonts of Windows (Microsoft YaHei), macOS (PingFang SC) and
Linux (Noto Sans CJK SC, WenQuanYi) are tried instead.
"""

from __future__ import annotations

import importlib.resources
import os
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
# figure.hooks entry that checks the text size of every figure (see dlnotes.plotting.text_size);
# named through the package, which re-exports it, so the name stays what it always was.
TEXT_SIZE_HOOK = "dlnotes.plotting:_watch_text_size"

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
        f"or one of {', '.join(SYSTEM_FALLBACKS)}; "
        "install it with `pip install pylopdf-fonts-zh-cn`"
    )


def use_chinese_font() -> str:
    """Make matplotlib draw Chinese text; return the font family used.

    The Chinese font goes first in ``font.family`` and DejaVu Sans second, so
    Latin letters, digits and symbols still have a glyph. Mathtext keeps its
    own fonts, so ``$\\eta$`` and Chinese can share a label. With
    ``DLNOTES_CHECK_FIGURE_TEXT=1`` every figure also checks its text size
    when drawn (see :func:`dlnotes.plotting.smallest_text`).
    """
    global _chosen
    if _chosen is None:
        _chosen = chinese_font_name()
    mpl.rcParams["font.family"] = [_chosen, "DejaVu Sans"]
    mpl.rcParams["mathtext.fontset"] = "dejavusans"
    # Opt-in (the notebook checks and make refresh set it): some grids/diagrams defaults
    # are sized for their own notebooks' post-processing and would fail it elsewhere.
    if os.environ.get("DLNOTES_CHECK_FIGURE_TEXT", "").lower() in {"1", "true", "yes"} and (
        TEXT_SIZE_HOOK not in mpl.rcParams["figure.hooks"]
    ):
        mpl.rcParams["figure.hooks"] = [*mpl.rcParams["figure.hooks"], TEXT_SIZE_HOOK]
    _use_retina_png()
    return _chosen


def _use_retina_png() -> None:
    """Store notebook plots as PNG at twice the displayed resolution (only inside IPython)."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("retina")
