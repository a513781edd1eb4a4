"""Pictures of small tensors as grids of numbers, and convolution drawn step by step.

``draw_matrix`` draws a 2-D array as a table of cells with optional coloured
windows; ``conv_steps`` lists what each output number of a 2-D
cross-correlation is made of, and ``conv_frames`` draws those steps as one
panel per output position; ``draw_tensor_ranks`` draws tensors of rank 0 to 4.
The labels are in Chinese, so this module sets up a Chinese font on import.
"""

from __future__ import annotations

from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

import dlnotes.plotting  # noqa: F401  (Chinese font for the labels)
from dlnotes.checks import as_float_array, check_finite, check_pair, check_positive_int, check_rank
from dlnotes.layers.sizes import conv_output_size

__all__ = ["ConvStep", "draw_matrix", "conv_steps", "conv_frames", "draw_tensor_ranks"]

HIGHLIGHT_COLORS = ("tab:orange", "tab:blue", "tab:green", "tab:purple", "tab:red", "tab:brown")
PAD_GREY = "0.85"


def _format(value: float) -> str:
    """Integers without a decimal point, everything else with two decimals."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def _rectangles(highlight: object, shape: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    """Normalise ``highlight`` to a list of (row, col, height, width) inside ``shape``."""
    if highlight is None:
        return []
    if not isinstance(highlight, (tuple, list)):
        raise TypeError(
            f"highlight must be a (row, col, height, width) tuple or a list, got {type(highlight).__name__}"
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
                f"highlight {tuple(rect)} (row, col, height, width) must lie inside the {shape[0]}×{shape[1]} grid, "
                f"got rows {row}..{row + height - 1} and columns {col}..{col + width - 1}"
            )
        out.append((row, col, height, width))
    return out


def draw_matrix(
    ax: Axes,
    values: object,
    highlight: object = None,
    title: str | None = None,
    *,
    text: object = None,
    shade: object = None,
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
            f"shade must be a bool array of shape {(h, w)}, got dtype {grey.dtype} and shape {grey.shape}"
        )
    rects = _rectangles(highlight, (h, w))

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


def _check_grid_inputs(x: object, k: object, stride: object, padding: object):
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


def conv_steps(x: object, k: object, stride: object = 1, padding: object = 0) -> list[ConvStep]:
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
    x: object, k: object, stride: object = 1, padding: object = 0, *, max_frames: int = 16
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
            f"the output has {out_h}×{out_w} = {out_h * out_w} positions, more than max_frames={max_frames}"
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


def _draw_cells(
    ax: Axes, x0: float, y0: float, rows: int, cols: int, color: str, labels: np.ndarray | None
) -> None:
    """A rows×cols block of unit cells with its top-left corner at (x0, y0) (y grows downwards)."""
    for i in range(rows):
        for j in range(cols):
            ax.add_patch(Rectangle((x0 + j, y0 + i), 1, 1, facecolor=color, edgecolor="0.3", lw=1))
            if labels is not None:
                ax.text(
                    x0 + j + 0.5,
                    y0 + i + 0.5,
                    f"{labels[i, j]}",
                    ha="center",
                    va="center",
                    fontsize=9,
                )


def _draw_stack(
    ax: Axes, x0: float, y0: float, depth: int, rows: int, cols: int, labels: np.ndarray
) -> None:
    """A rank-3 block (depth, rows, cols): layers drawn back to front, each shifted up and right."""
    for c in reversed(range(depth)):
        color = ("#c6dbef", "#fdd0a2", "#c7e9c0")[c % 3]
        _draw_cells(
            ax, x0 + 0.45 * c, y0 - 0.45 * c, rows, cols, color, labels[c] if c == 0 else None
        )


def draw_tensor_ranks() -> Figure:
    """Draw tensors of rank 0 to 4 side by side, each titled with its shape.

    Returns
    -------
    matplotlib.figure.Figure
        Five Axes: a scalar (), a vector (4,), a matrix (3, 4), a rank-3
        tensor (C, H, W) = (3, 3, 4) and a rank-4 tensor (N, C, H, W) =
        (2, 3, 3, 4). Only the front layer of each stack shows its numbers.

    Examples
    --------
    >>> fig = draw_tensor_ranks()
    >>> len(fig.axes)
    5
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    values = np.arange(2 * 3 * 3 * 4).reshape(2, 3, 3, 4) % 10
    fig, axes = plt.subplots(
        1, 5, figsize=(15, 3.4), width_ratios=[1.2, 4, 4, 5, 10.5], layout="constrained"
    )
    _draw_cells(axes[0], 0, 1, 1, 1, "#c6dbef", np.array([[7]]))
    _draw_cells(axes[1], 0, 1, 1, 4, "#c6dbef", values[0, 0, :1])
    _draw_cells(axes[2], 0, 0, 3, 4, "#c6dbef", values[0, 0])
    _draw_stack(axes[3], 0, 1, 3, 3, 4, values[0])
    for n in range(2):
        _draw_stack(axes[4], n * 5.5, 1, 3, 3, 4, values[n])
    titles = [
        "0 阶：标量\n形状 ()",
        "1 阶：向量\n形状 (4,)",
        "2 阶：矩阵\n形状 (3, 4)",
        "3 阶：一张 3 通道图像\n(C, H, W) = (3, 3, 4)",
        "4 阶：一批 2 张图像\n(N, C, H, W) = (2, 3, 3, 4)",
    ]
    spans = [(1.2, 3), (4, 3), (4, 3), (5, 4), (10.5, 4)]
    for ax, title, (width, height) in zip(axes, titles, spans):
        ax.set_xlim(-0.1, width + 0.1)
        ax.set_ylim(height + 0.1, -0.1)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(title, fontsize=11)
    return fig
