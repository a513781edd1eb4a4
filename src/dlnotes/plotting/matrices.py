"""A small 2-D array drawn as a table of cells, with its numbers and coloured windows.

``draw_matrix`` is the building block of the convolution pictures in
:mod:`dlnotes.plotting.grids`, which re-exports it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, check_positive_int, check_rank

__all__ = ["draw_matrix", "HIGHLIGHT_COLORS", "PAD_GREY"]

HIGHLIGHT_COLORS = ("tab:orange", "tab:blue", "tab:green", "tab:purple", "tab:red", "tab:brown")
PAD_GREY = "0.85"


def _format(value: float) -> str:
    """Integers without a decimal point, everything else with two decimals."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


Highlight = tuple[int, int, int, int] | Sequence[tuple[int, int, int, int]] | None


def _rectangles(highlight: Highlight, shape: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    """Normalise ``highlight`` to a list of (row, col, height, width) inside ``shape``."""
    if highlight is None:
        return []
    if not isinstance(highlight, (tuple, list)):
        raise TypeError(
            "highlight must be a (row, col, height, width) tuple or a list, "
            f"got {type(highlight).__name__}"
        )
    rects = (
        [highlight]
        if len(highlight) == 4 and all(np.isscalar(v) for v in highlight)
        else list(highlight)
    )
    out = []
    for rect in rects:
        if not isinstance(rect, (tuple, list)) or len(rect) != 4:
            raise ValueError(
                f"each highlight must be a (row, col, height, width) tuple, got {rect!r}"
            )
        row, col = (check_positive_int(v, "highlight row/col", 0) for v in rect[:2])
        height, width = (check_positive_int(v, "highlight height/width", 1) for v in rect[2:])
        if row + height > shape[0] or col + width > shape[1]:
            raise ValueError(
                f"highlight {tuple(rect)} (row, col, height, width) must lie inside the "
                f"{shape[0]}×{shape[1]} grid, "
                f"got rows {row}..{row + height - 1} and columns {col}..{col + width - 1}"
            )
        out.append((row, col, height, width))
    return out


def draw_matrix(
    ax: Axes,
    values: ArrayLike,
    highlight: Highlight = None,
    title: str | None = None,
    *,
    text: ArrayLike | None = None,
    shade: ArrayLike | None = None,
    fontsize: float = 11,
) -> Axes:
    """Draw a 2-D array as a grid of cells with its numbers written in them.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    values : array_like, shape (H, W)
        NaN cells are drawn empty (useful for an output that is not computed yet).
    highlight : (row, col, height, width) or a sequence of them, optional
        Windows to outline and tint, in the colours ``HIGHLIGHT_COLORS`` in turn.
    title : str, optional
    text : array_like of str, shape (H, W), optional
        Text for each cell instead of the formatted number.
    shade : array_like of bool, shape (H, W), optional
        Cells to grey out, e.g. zero padding.
    fontsize : float

    Returns
    -------
    ax : the same Axes, with the axis lines hidden and the aspect ratio fixed.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = draw_matrix(ax, [[1, 2], [3, 4]], highlight=(0, 0, 1, 2), title="x")
    >>> [t.get_text() for t in ax.texts]
    ['1', '2', '3', '4']
    >>> plt.close(fig)
    """
    values, labels, grey, rects = _check_matrix(ax, values, highlight, text, shade)
    h, w = values.shape

    for i in range(h):
        for j in range(w):
            ax.add_patch(
                Rectangle(
                    (j, i),
                    1,
                    1,
                    facecolor=PAD_GREY if grey[i, j] else "white",
                    edgecolor="0.4",
                    lw=1,
                )
            )
            if str(labels[i, j]):
                ax.text(
                    j + 0.5, i + 0.5, str(labels[i, j]), ha="center", va="center", fontsize=fontsize
                )
    for k, (row, col, height, width) in enumerate(rects):
        color = HIGHLIGHT_COLORS[k % len(HIGHLIGHT_COLORS)]
        ax.add_patch(Rectangle((col, row), width, height, facecolor=color, alpha=0.25, lw=0))
        ax.add_patch(Rectangle((col, row), width, height, fill=False, edgecolor=color, lw=3))
    ax.set_xlim(-0.05, w + 0.05)
    ax.set_ylim(h + 0.05, -0.05)  # row 0 at the top, as the array is printed
    ax.set_aspect("equal")
    ax.axis("off")
    if title is not None:
        ax.set_title(title, fontsize=fontsize)
    return ax


def _check_matrix(
    ax: Axes,
    values: ArrayLike,
    highlight: Highlight,
    text: ArrayLike | None,
    shade: ArrayLike | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, int, int, int]]]:
    """Validate draw_matrix's input; return values, the cell labels, the grey mask and windows."""
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    values = as_float_array(values, "values")
    check_rank(values, 2, "values", "(H, W)")
    h, w = values.shape
    if text is None:
        text = [["" if np.isnan(v) else _format(v) for v in row] for row in values]
    labels = np.asarray(text, dtype=object)
    if labels.shape != (h, w):
        raise ValueError(f"text must have the shape of values {(h, w)}, got {labels.shape}")
    grey = np.zeros((h, w), dtype=bool) if shade is None else np.asarray(shade)
    if grey.shape != (h, w) or grey.dtype != bool:
        raise ValueError(
            f"shade must be a bool array of shape {(h, w)}, "
            f"got dtype {grey.dtype} and shape {grey.shape}"
        )
    return values, labels, grey, _rectangles(highlight, (h, w))
