"""Attention weights and attention masks drawn as labelled heat maps.

Rows are queries (the position that looks), columns are keys (the positions
looked at), as in ``weights[i, j]`` of :func:`dlnotes.layers.scaled_dot_product_attention`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.image import AxesImage
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, check_finite, check_rank

__all__ = ["draw_attention"]


def _check_draw(
    weights: ArrayLike, rows: Sequence[str] | None, cols: Sequence[str] | None
) -> tuple[np.ndarray, list[str], list[str]]:
    values = np.asarray(weights)
    values = as_float_array(values, "weights")
    check_rank(values, 2, "weights", "(L, S): queries × keys")
    check_finite(values, "weights")
    rows = [str(i) for i in range(values.shape[0])] if rows is None else [str(r) for r in rows]
    cols = [str(j) for j in range(values.shape[1])] if cols is None else [str(c) for c in cols]
    if (len(rows), len(cols)) != values.shape:
        raise ValueError(
            f"rows and cols must label the {values.shape[0]}×{values.shape[1]} weights, "
            f"got {len(rows)} rows and {len(cols)} cols"
        )
    return values, rows, cols


def draw_attention(
    ax: Axes,
    weights: ArrayLike,
    rows: Sequence[str] | None = None,
    cols: Sequence[str] | None = None,
    title: str | None = None,
    *,
    annotate: bool = False,
    fontsize: float = 10,
) -> AxesImage:
    """Draw attention weights (or a boolean mask) as a heat map with labelled axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    weights : array_like, shape (L, S)
        Weights in [0, 1], or a boolean mask (True = may attend, drawn dark).
    rows, cols : sequence of str, optional
        Labels of the L queries and the S keys (e.g. the characters); default 0, 1, ...
    title : str, optional
    annotate : bool
        Write each value in its cell (``✓``/``×`` for a boolean mask, two decimals otherwise).
    fontsize : float

    Returns
    -------
    matplotlib.image.AxesImage
        For a colour bar: ``fig.colorbar(image, ax=ax)``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> image = draw_attention(ax, np.tril(np.ones((3, 3), bool)), list("天地玄"), list("天地玄"))
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['天', '地', '玄']
    >>> plt.close(fig)
    """
    is_mask = np.asarray(weights).dtype == np.bool_
    values, rows, cols = _check_draw(weights, rows, cols)
    image = ax.imshow(values, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(cols)), cols, fontsize=fontsize)
    ax.set_yticks(range(len(rows)), rows, fontsize=fontsize)
    ax.set_xlabel("键（被看的位置）", fontsize=fontsize)
    ax.set_ylabel("查询（看的位置）", fontsize=fontsize)
    ax.tick_params(length=0)
    if title is not None:
        ax.set_title(title, fontsize=fontsize + 1)
    if annotate:
        for (i, j), value in np.ndenumerate(values):
            label = ("✓" if value else "×") if is_mask else f"{value:.2f}"
            color = "white" if value > 0.6 else "black"
            ax.text(j, i, label, ha="center", va="center", fontsize=fontsize - 1, color=color)
    return image
