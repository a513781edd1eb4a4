"""The recurrent network as a loop, and the same network unrolled over T time steps.

The unrolled picture is the computation graph that backpropagation through
time (BPTT) walks backwards: one copy of the cell per step, all sharing the
weights ``W_ih`` and ``W_hh``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from dlnotes.checks import check_flag, check_positive_int

__all__ = ["draw_unrolled_rnn", "MAX_STEPS"]

MAX_STEPS = 6
_CELL_Y, _INPUT_Y, _OUTPUT_Y = 1.6, 0.0, 3.2
_GRADIENT = "tab:red"


def _box(ax: Axes, x: float, y: float, text: str, color: str, width: float = 1.0) -> None:
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - 0.35),
            width,
            0.7,
            boxstyle="round,pad=0.05",
            facecolor=color,
            edgecolor="black",
            linewidth=1.2,
            zorder=2,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=13, zorder=3)


def _arrow(ax: Axes, start, end, color="black", style="-", rad=0.0, shrink=16) -> None:
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=13,
            shrinkA=shrink,
            shrinkB=shrink,
            color=color,
            linestyle=style,
            linewidth=1.3,
            connectionstyle=f"arc3,rad={rad}",
            zorder=1,
        )
    )


def _check_unrolled(steps: int, ax: Axes | None, show_gradient: bool) -> int:
    steps = check_positive_int(steps, "steps")
    if steps > MAX_STEPS:
        raise ValueError(f"steps must be <= {MAX_STEPS} to stay readable, got {steps}")
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    check_flag(show_gradient, "show_gradient")
    return steps


def draw_unrolled_rnn(steps: int = 4, ax: Axes | None = None, show_gradient: bool = True) -> Axes:
    """Draw the RNN as a cell with a loop (left) and unrolled over ``steps`` time steps (right).

    Parameters
    ----------
    steps : int
        Number of unrolled steps T, 1 ≤ T ≤ 6.
    ax : matplotlib Axes, optional
        Where to draw; a new 10 × 3.6 in figure is made when omitted.
    show_gradient : bool
        Also draw, dashed in red, the path of ``∂L/∂h_t`` back through time.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = draw_unrolled_rnn(3)
    >>> [t.get_text() for t in ax.texts if t.get_text().startswith("$x")]
    ['$x$', '$x_1$', '$x_2$', '$x_3$']
    >>> plt.close(ax.figure)
    """
    steps = _check_unrolled(steps, ax, show_gradient)
    if ax is None:
        ax = plt.subplots(figsize=(10, 3.6))[1]
    # the folded network: one cell whose output feeds back into itself
    _box(ax, 0, _INPUT_Y, "$x$", "0.92", 0.8)
    _box(ax, 0, _CELL_Y, "RNN", "tab:orange")
    _box(ax, 0, _OUTPUT_Y, "$h$", "lightsteelblue", 0.8)
    _arrow(ax, (0, _INPUT_Y), (0, _CELL_Y))
    _arrow(ax, (0, _CELL_Y), (0, _OUTPUT_Y))
    _arrow(ax, (0.5, _CELL_Y + 0.3), (0.5, _CELL_Y - 0.3), rad=-2.0, shrink=1)
    ax.text(1.2, _CELL_Y, "$W_{hh}$", ha="left", va="center", fontsize=12)
    ax.text(2.75, _CELL_Y + 0.1, "展开", ha="center", va="bottom", fontsize=12)
    _arrow(ax, (2.3, _CELL_Y), (3.2, _CELL_Y), shrink=1)
    # the unrolled network: one copy per step, the same weights in every copy
    start = 4.7
    ax.text(start - 1.1, _CELL_Y, "$h_0$", ha="center", va="center", fontsize=13)
    for t in range(1, steps + 1):
        x = start + 2.0 * (t - 1)
        _box(ax, x, _INPUT_Y, f"$x_{t}$", "0.92", 0.8)
        _box(ax, x, _CELL_Y, "RNN", "tab:orange")
        _box(ax, x, _OUTPUT_Y, f"$h_{t}$", "lightsteelblue", 0.8)
        _arrow(ax, (x, _INPUT_Y), (x, _CELL_Y))
        ax.text(x + 0.1, (_INPUT_Y + _CELL_Y) / 2, "$W_{ih}$", ha="left", va="center", fontsize=11)
        _arrow(ax, (x, _CELL_Y), (x, _OUTPUT_Y))
        left = x - 2.0 if t > 1 else start - 1.1
        _arrow(ax, (left, _CELL_Y), (x, _CELL_Y), shrink=16 if t > 1 else 8)
        if t > 1:
            ax.text(x - 1.0, _CELL_Y - 0.08, "$W_{hh}$", ha="center", va="top", fontsize=11)
        if show_gradient and t > 1:
            _arrow(
                ax, (x - 0.45, _CELL_Y + 0.6), (x - 1.55, _CELL_Y + 0.6), _GRADIENT, "--", 0.3, 1
            )
    last = start + 2.0 * (steps - 1)
    if show_gradient:
        ax.text(last + 1.0, _OUTPUT_Y, "损失 $L$", ha="left", va="center", fontsize=12)
        _arrow(ax, (last + 0.4, _OUTPUT_Y), (last + 1.0, _OUTPUT_Y), shrink=1)
        ax.text(
            (start + last) / 2,
            _OUTPUT_Y + 0.6,
            "红色虚线：梯度沿时间反向传播",
            ha="center",
            va="bottom",
            fontsize=11,
            color=_GRADIENT,
        )
    ax.set_xlim(-0.8, last + 2.2)
    ax.set_ylim(-0.6, _OUTPUT_Y + 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
