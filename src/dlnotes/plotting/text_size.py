"""Is a figure's text readable in the book? The smallest text as shown in the text column.

The book shrinks a figure wider than its text column (:data:`COLUMN_PX` CSS px
at a 1280 px window) to fit, and its text with it. With
``DLNOTES_CHECK_FIGURE_TEXT=1`` every figure checks, when it is drawn, that
none of its text would appear smaller than :data:`MIN_TEXT_PX` CSS pixels;
a figure that fails warns on stderr (:class:`FigureTextTooSmall`), which the
strict checks turn into an error: make it narrower or its text larger.
"""

from __future__ import annotations

import warnings

from matplotlib.figure import Figure
from matplotlib.text import Text

from dlnotes.checks import check_number

__all__ = ["smallest_text", "COLUMN_PX", "MIN_TEXT_PX", "CSS_PX_PER_INCH", "FigureTextTooSmall"]

# The book's text column at a 1280 px window, and the smallest text a reader should meet there.
COLUMN_PX = 688
MIN_TEXT_PX = 9.0
# Figures are displayed at 100 CSS px per inch (the PNG holds twice as many pixels).
CSS_PX_PER_INCH = 100


class FigureTextTooSmall(UserWarning):
    """A figure's text would render below MIN_TEXT_PX CSS pixels in the book."""


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
    column_px = _check_figure(fig, column_px)
    scale = min(1.0, column_px / (CSS_PX_PER_INCH * float(fig.get_figwidth())))
    found = (float("inf"), "")
    for artist in fig.findobj(Text):
        if artist.get_visible() and artist.get_text().strip() and _shown(artist):
            size = float(artist.get_fontsize()) / 72 * CSS_PX_PER_INCH * scale
            found = min(found, (size, artist.get_text()), key=lambda pair: pair[0])
    return found


def _check_figure(fig: Figure, column_px: float) -> float:
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    return check_number(column_px, "column_px", positive=True)


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
            f"figure text {text[:40]!r} shows at {size:.1f} CSS px in the book's {COLUMN_PX} px "
            f"column, below {MIN_TEXT_PX:g} px: make the figure narrower than "
            f"{fig.get_figwidth():g} in or its text larger",
            FigureTextTooSmall,
            stacklevel=2,
        )
