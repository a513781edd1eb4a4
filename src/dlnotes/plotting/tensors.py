"""Tensors of rank 0 to 4 drawn side by side: a scalar, a vector, a matrix, an image, a batch."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

__all__ = ["draw_tensor_ranks"]


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
