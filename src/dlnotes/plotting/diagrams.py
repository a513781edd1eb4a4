"""Network diagrams: one linear neuron with its loss, and fully connected layers.

Drawn with matplotlib patches so the figure is made by code, has Chinese
labels, and changes with the number of inputs and the layer sizes.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.colors import is_color_like
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.typing import ColorType

from dlnotes.checks import check_flag, check_positive_int, check_scalar

__all__ = ["draw_neuron", "draw_layers", "MAX_INPUTS"]

MAX_INPUTS = 6
_RADIUS = 0.32


def _node(ax: Axes, xy: tuple[float, float], text: str, color: str) -> None:
    ax.add_patch(Circle(xy, _RADIUS, facecolor=color, edgecolor="black", linewidth=1.2, zorder=2))
    ax.text(*xy, text, ha="center", va="center", fontsize=14, zorder=3)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], **style: object) -> None:
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=14,
            shrinkA=14,
            shrinkB=14,
            color="black",
            linewidth=1.2,
            zorder=1,
            **style,
        )
    )


def _along(
    start: tuple[float, float], end: tuple[float, float], lift: float
) -> tuple[float, float]:
    """A point 40 % of the way along an edge, raised by ``lift``: where the edge's label goes."""
    t = 0.4
    return start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1]) + lift


def _check_neuron(n_inputs: int, ax: Axes | None, show_loss: bool) -> int:
    d = check_positive_int(n_inputs, "n_inputs")
    if d > MAX_INPUTS:
        raise ValueError(f"n_inputs must be <= {MAX_INPUTS} to stay readable, got {d}")
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    check_flag(show_loss, "show_loss")
    return d


def draw_neuron(n_inputs: int = 1, ax: Axes | None = None, show_loss: bool = True) -> Axes:
    """Diagram of ``z = x_1 w_1 + … + x_d w_d + b`` and, optionally, its loss ``½ (z − y)²``.

    Parameters
    ----------
    n_inputs : int
        Number of input features d, 1 ≤ d ≤ 6. With d = 1 the labels are x and w.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when omitted.
    show_loss : bool
        Also draw the label y and the loss box.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = draw_neuron(2)
    >>> sorted(t.get_text() for t in ax.texts if t.get_text().startswith("$w"))
    ['$w_1$', '$w_2$']
    """
    d = _check_neuron(n_inputs, ax, show_loss)
    if ax is None:
        _, ax = plt.subplots(figsize=(9 if show_loss else 6.5, 2.2 + 0.8 * d))

    # Inputs stacked on the left, the bias input "1" below them, all feeding the neuron at (3, 0).
    spacing = 1.1
    rows = [spacing * ((d - 1) / 2 - i) for i in range(d)]
    bias_y = rows[-1] - spacing
    neuron = (3.2, 0.0)
    for i, y in enumerate(rows):
        suffix = "" if d == 1 else f"_{i + 1}"
        _node(ax, (0.0, y), f"$x{suffix}$", "#cfe3f7")
        _arrow(ax, (0.0, y), neuron)
        ax.text(
            *_along((0.0, y), neuron, 0.1),
            f"$w{suffix}$",
            ha="center",
            va="bottom",
            fontsize=13,
            color="tab:blue",
        )
    _node(ax, (0.0, bias_y), "$1$", "#eeeeee")
    _arrow(ax, (0.0, bias_y), neuron, linestyle="--")
    ax.text(
        *_along((0.0, bias_y), neuron, -0.1),
        "$b$",
        ha="center",
        va="top",
        fontsize=13,
        color="tab:red",
    )
    _node(ax, neuron, r"$\Sigma$", "#fde2b8")
    ax.text(neuron[0], neuron[1] - 0.55, "神经元", ha="center", va="top", fontsize=11)

    output = (5.0, 0.0)
    _node(ax, output, "$z$", "#d5f0d0")
    _arrow(ax, neuron, output)
    ax.text(0.0, rows[0] + 0.6, "输入层", ha="center", va="bottom", fontsize=11)
    ax.text(output[0], output[1] + 0.6, "输出", ha="center", va="bottom", fontsize=11)

    right = output[0] + 0.8
    if show_loss:
        box = (7.3, 0.0)
        ax.add_patch(
            FancyBboxPatch(
                (box[0] - 0.95, box[1] - 0.35),
                1.9,
                0.7,
                boxstyle="round,pad=0.08",
                facecolor="#f7d4d4",
                edgecolor="black",
                linewidth=1.2,
                zorder=2,
            )
        )
        ax.text(*box, r"$\frac{1}{2}(z-y)^2$", ha="center", va="center", fontsize=13, zorder=3)
        ax.text(box[0], box[1] + 0.55, "损失函数", ha="center", va="bottom", fontsize=11)
        _arrow(ax, output, (box[0] - 0.75, box[1]))
        label = (box[0], box[1] - 1.4)
        _node(ax, label, "$y$", "#eeeeee")
        ax.text(label[0] + 0.45, label[1], "标签", ha="left", va="center", fontsize=11)
        _arrow(ax, label, (box[0], box[1] - 0.2))
        right = box[0] + 1.3

    ax.set_xlim(-0.8, right)
    ax.set_ylim(min(bias_y, -1.9 if show_loss else bias_y) - 0.6, rows[0] + 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def draw_layers(
    ax: Axes,
    sizes: Sequence[int],
    names: Sequence[str],
    colors: Sequence[ColorType],
    gap: float = 3.0,
) -> Axes:
    """Draw fully connected layers as columns of circles, every circle joined to the next column.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    sizes : sequence of int, length L
        Neurons per layer, input layer first.
    names : sequence of str, length L
        A caption above each column.
    colors : sequence of matplotlib colours, length L
        The fill of each column's circles.
    gap : float > 0
        Horizontal distance between columns (circles have radius 0.25, rows are 1 apart).

    Returns
    -------
    ax : the same Axes, with the axis hidden and the aspect ratio fixed.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> _ = draw_layers(ax, [3, 2], ["输入", "输出"], ["0.85", "tab:orange"])
    >>> len(ax.patches), len(ax.lines), [t.get_text() for t in ax.texts]
    (5, 6, ['输入', '输出'])
    >>> plt.close(fig)
    """
    gap = _check_layers(ax, sizes, names, colors, gap)
    pos = [[(gap * i, (n - 1) / 2 - k) for k in range(n)] for i, n in enumerate(sizes)]
    for left, right in zip(pos, pos[1:]):
        for p in left:
            for q in right:
                ax.plot([p[0], q[0]], [p[1], q[1]], color="0.65", linewidth=0.8, zorder=1)
    top = max(sizes) / 2
    for column, name, color in zip(pos, names, colors):
        for p in column:
            ax.add_patch(Circle(p, 0.25, facecolor=color, edgecolor="black", zorder=2))
        ax.text(column[0][0], top + 0.15, name, ha="center", va="bottom", fontsize=11)
    ax.set_xlim(-1.2, gap * (len(sizes) - 1) + 1.2)
    ax.set_ylim(-top - 0.1, top + 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _check_layers(
    ax: Axes, sizes: Sequence[int], names: Sequence[str], colors: Sequence[ColorType], gap: float
) -> float:
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    for value, what in ((sizes, "sizes"), (names, "names"), (colors, "colors")):
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise TypeError(f"{what} must be a list, got {value!r} of type {type(value).__name__}")
    if not sizes or not len(sizes) == len(names) == len(colors):
        raise ValueError(
            "sizes, names and colors must give one entry per layer (at least one), "
            f"got lengths {len(sizes)}, {len(names)} and {len(colors)}"
        )
    for i, size in enumerate(sizes):
        check_positive_int(size, f"sizes[{i}]")
    for i, color in enumerate(colors):
        if not is_color_like(color):
            raise ValueError(f"colors[{i}] must be a matplotlib colour, got {color!r}")
    return check_scalar(gap, "gap", float, min_val=0, include_boundaries="neither")
