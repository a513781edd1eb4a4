"""Matplotlib set-up for Chinese labels.

Importing this module calls :func:`use_chinese_font`, so a notebook needs only
``import dlnotes.plotting`` (or any dlnotes helper that draws) before plotting.

The font comes from the ``pylopdf-fonts-zh-cn`` wheel (Noto Sans SC, SIL OFL
1.1), a dependency of dlnotes, so it is there on a fresh Linux machine, in
Binder and in Colab without system packages. If that wheel is missing, the
common system fonts of Windows (Microsoft YaHei), macOS (PingFang SC) and
Linux (Noto Sans CJK SC, WenQuanYi) are tried instead.

It also makes figures readable in the book. In a notebook, plots are stored as
PNG at twice their displayed resolution (``retina``), and every figure checks,
when it is drawn, that none of its text would appear smaller than
:data:`MIN_TEXT_PX` CSS pixels once the book shrinks it to the text column
(:data:`COLUMN_PX` wide at 1280 px), when ``DLNOTES_CHECK_FIGURE_TEXT=1`` is set.
A figure that fails warns on stderr, which the strict checks turn into an error:
make it narrower or its text larger.
"""

from __future__ import annotations

import importlib.resources
import os
import warnings
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

from dlnotes.checks import check_number

__all__ = [
    "use_chinese_font",
    "chinese_font_name",
    "smallest_text",
    "SYSTEM_FALLBACKS",
    "COLUMN_PX",
    "MIN_TEXT_PX",
    "FigureTextTooSmall",
]

# The book's text column at a 1280 px window, and the smallest text a reader should meet there.
COLUMN_PX = 688
MIN_TEXT_PX = 9.0
# Figures are displayed at 100 CSS px per inch (the PNG holds twice as many pixels).
CSS_PX_PER_INCH = 100


class FigureTextTooSmall(UserWarning):
    """A figure's text would render below MIN_TEXT_PX CSS pixels in the book."""


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
    hook = f"{__name__}:_watch_text_size"
    # Opt-in (the notebook checks and make refresh set it): some grids/network_diagram defaults
    # are sized for their own notebooks' post-processing and would fail it elsewhere.
    if os.environ.get("DLNOTES_CHECK_FIGURE_TEXT", "").lower() in {"1", "true", "yes"} and (
        hook not in mpl.rcParams["figure.hooks"]
    ):
        mpl.rcParams["figure.hooks"] = [*mpl.rcParams["figure.hooks"], hook]
    _use_retina_png()
    return _chosen


def smallest_text(fig: Figure, column_px: float = COLUMN_PX) -> tuple[float, str]:
    """The smallest visible text of ``fig`` as shown in the book: (size in CSS px, the text).

    A figure wider than the column is shrunk to fit it, and its text with it:
    ``px = points / 72 * 100 * min(1, column_px / (100 * width_in_inches))``.
    Returns ``(inf, "")`` for a figure without text.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure(figsize=(13.76, 3))
    >>> _ = fig.text(0.5, 0.5, "图注", fontsize=10)
    >>> size, text = smallest_text(fig)
    >>> round(size, 2), text  # 10 pt at 100 px per inch, shrunk to half
    (6.94, '图注')
    >>> plt.close(fig)
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    column_px = check_number(column_px, "column_px", positive=True)
    scale = min(1.0, column_px / (CSS_PX_PER_INCH * float(fig.get_figwidth())))
    found = (float("inf"), "")
    for artist in fig.findobj(Text):
        if artist.get_visible() and artist.get_text().strip() and _shown(artist):
            size = float(artist.get_fontsize()) / 72 * CSS_PX_PER_INCH * scale
            found = min(found, (size, artist.get_text()), key=lambda pair: pair[0])
    return found


def _shown(artist: Text) -> bool:
    """False for text hidden by an invisible parent axes (for example a turned-off colourbar)."""
    axes = artist.axes
    return (
        axes is None
        or (axes.get_visible() and axes.axison)
        or artist in axes.texts
        or artist is axes.title
    )


def _watch_text_size(fig: Figure) -> None:
    """figure.hooks entry: check the text size whenever the figure is drawn."""
    fig.canvas.mpl_connect("draw_event", lambda event: _check_text_size(event.canvas.figure))


def _check_text_size(fig: Figure) -> None:
    size, text = smallest_text(fig)
    if size < MIN_TEXT_PX and not getattr(fig, "_dlnotes_warned", False):
        fig._dlnotes_warned = True  # one warning per figure, although savefig draws it twice
        warnings.warn(
            f"figure text {text[:40]!r} shows at {size:.1f} CSS px in the book's {COLUMN_PX} px column, "
            f"below {MIN_TEXT_PX:g} px: make the figure narrower than {fig.get_figwidth():g} in or its text larger",
            FigureTextTooSmall,
            stacklevel=2,
        )


def _use_retina_png() -> None:
    """Store notebook plots as PNG at twice the displayed resolution (only inside IPython)."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("retina")


use_chinese_font()
