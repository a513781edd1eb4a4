"""Convolution drawn step by step, on small arrays shown as grids of numbers.

``conv_steps`` lists what each output number of a 2-D cross-correlation is
made of, and ``conv_frames`` draws those steps as one panel per output
position. ``draw_matrix``, which draws a 2-D array as a table of cells with
optional coloured windows, lives in :mod:`dlnotes.plotting.matrices` and is
re-exported here. (``draw_tensor_ranks`` lives in
:mod:`dlnotes.plotting.tensors`.) The labels are in Chinese; importing
``dlnotes.plotting`` has set up the font.
"""

from __future__ import annotations

from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, check_finite, check_pair, check_positive_int, check_rank
from dlnotes.layers.sizes import conv_output_size
from dlnotes.plotting.matrices import (
    HIGHLIGHT_COLORS,  # noqa: F401  (re-exported for dlnotes.grids)
    PAD_GREY,  # noqa: F401  (re-exported for dlnotes.grids)
    _format,
    draw_matrix,
)

__all__ = ["ConvStep", "draw_matrix", "conv_steps", "conv_frames"]


class ConvStep(NamedTuple):
    """One output number of a cross-correlation and what it is made of.

    ``window`` and ``products`` are (HH, WW); ``top, left`` locate the window
    in the zero-padded input.
    """

    row: int
    col: int
    top: int
    left: int
    window: np.ndarray
    products: np.ndarray
    total: float


def _check_grid_inputs(
    x: ArrayLike, k: ArrayLike, stride: int | tuple[int, int], padding: int | tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, tuple[int, int], tuple[int, int], tuple[int, int]]:
    x, k = as_float_array(x, "x"), as_float_array(k, "k")
    for arr, name, layout in ((x, "x", "(H, W)"), (k, "k", "(HH, WW)")):
        check_rank(arr, 2, name, layout)
        check_finite(arr, name)
    sh, sw = check_pair(stride, "stride", 1)
    ph, pw = check_pair(padding, "padding", 0)
    padded = np.pad(x, ((ph, ph), (pw, pw)))
    if k.shape[0] > padded.shape[0] or k.shape[1] > padded.shape[1]:
        raise ValueError(
            f"k of shape {k.shape} must fit into the padded input of shape {padded.shape} "
            f"(x {x.shape} with padding {(ph, pw)})"
        )
    out_hw = tuple(
        conv_output_size(x.shape[a], k.shape[a], (sh, sw)[a], (ph, pw)[a]) for a in (0, 1)
    )
    return padded, k, (sh, sw), (ph, pw), out_hw


def conv_steps(
    x: ArrayLike,
    k: ArrayLike,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
) -> list[ConvStep]:
    """List the steps of a 2-D cross-correlation (the "convolution" of deep learning), row by row.

    Parameters
    ----------
    x : array_like, shape (H, W)
    k : array_like, shape (HH, WW)
    stride, padding : int or (h, w) pair
        Zero padding is added on every side.

    Returns
    -------
    list of ConvStep, length H_out * W_out
        ``H_out = (H + 2*ph - HH) // sh + 1``, likewise ``W_out``; step
        ``i * W_out + j`` holds output ``(i, j)`` with ``total = sum(window * k)``.

    Examples
    --------
    >>> import numpy as np
    >>> step = conv_steps(np.arange(9).reshape(3, 3), np.ones((2, 2)), stride=1)[3]
    >>> (step.row, step.col, step.total)
    (1, 1, 24.0)
    """
    padded, k, (sh, sw), _, (out_h, out_w) = _check_grid_inputs(x, k, stride, padding)
    hh, ww = k.shape
    steps = []
    for i in range(out_h):
        for j in range(out_w):
            window = padded[i * sh : i * sh + hh, j * sw : j * sw + ww]
            products = window * k
            steps.append(
                ConvStep(i, j, i * sh, j * sw, window.copy(), products, float(products.sum()))
            )
    return steps


def conv_frames(
    x: ArrayLike,
    k: ArrayLike,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    *,
    max_frames: int = 16,
) -> Figure:
    """Draw a cross-correlation as one panel per output position, without animation.

    Each panel (a matplotlib SubFigure, arranged like the output grid) shows
    the zero-padded input with the current window, the element-wise products
    of window and kernel with their sum, and the output filled in so far.

    Parameters
    ----------
    x : array_like, shape (H, W)
    k : array_like, shape (HH, WW)
    stride, padding : int or (h, w) pair
    max_frames : int
        Refuse to draw more than this many panels (the figure would be unreadable).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.subfigs`` holds H_out * W_out panels, in row-major order.

    Examples
    --------
    >>> import numpy as np
    >>> fig = conv_frames(np.ones((3, 3)), np.ones((2, 2)))
    >>> len(fig.subfigs)
    4
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    max_frames = check_positive_int(max_frames, "max_frames")
    padded, k, _, (ph, pw), (out_h, out_w) = _check_grid_inputs(x, k, stride, padding)
    if out_h * out_w > max_frames:
        raise ValueError(
            f"the output has {out_h}×{out_w} = {out_h * out_w} positions, "
            f"more than max_frames={max_frames}"
        )
    steps = conv_steps(x, k, stride, padding)
    shade = np.ones(padded.shape, dtype=bool)
    shade[ph : padded.shape[0] - ph, pw : padded.shape[1] - pw] = False
    hh, ww = k.shape
    widths = [padded.shape[1], ww, out_w]
    cell = 0.42  # inches per cell
    size = (out_w * (sum(widths) + 2.2) * cell, out_h * (max(padded.shape[0], 2) + 2.0) * cell)
    fig = plt.figure(figsize=size, layout="constrained")
    panels = np.atleast_1d(fig.subfigures(out_h, out_w)).ravel()
    output = np.full((out_h, out_w), np.nan)
    for panel, step in zip(panels, steps):
        output[step.row, step.col] = step.total
        axes = panel.subplots(1, 3, width_ratios=widths)
        draw_matrix(
            axes[0],
            padded,
            highlight=(step.top, step.left, hh, ww),
            title="输入与窗口",
            shade=shade,
        )
        product_text = np.array(
            [
                [f"{_format(a)}×{_format(b)}" for a, b in zip(wr, kr)]
                for wr, kr in zip(step.window, k)
            ]
        )
        draw_matrix(
            axes[1],
            step.products,
            title=f"乘积之和 = {_format(step.total)}",
            text=product_text,
            fontsize=9,
        )
        draw_matrix(axes[2], output, highlight=(step.row, step.col, 1, 1), title="输出")
        panel.suptitle(
            f"第 {step.row * out_w + step.col + 1} 步：输出 ({step.row}, {step.col})", fontsize=11
        )
    return fig
