"""Boxes on images: draw an (x1, y1, x2, y2) box with its label, on axes in pixel coordinates.

The geometry (IoU, NMS, anchors) lives in :mod:`dlnotes.boxes`; this module only draws.
"""

from __future__ import annotations

from typing import Literal

from matplotlib.axes import Axes
from matplotlib.colors import is_color_like
from matplotlib.patches import Rectangle
from matplotlib.typing import ColorType
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, check_choice, check_finite, check_flag, check_scalar

__all__ = ["draw_box", "image_axes", "LABEL_PLACES"]

# Where a label goes: (x, y) from the box corners, then the text alignment (ha, va).
LABEL_PLACES = ("above", "below right", "below left")
LabelPlace = Literal["above", "below right", "below left"]


def draw_box(
    ax: Axes,
    box: ArrayLike,
    color: ColorType,
    label: str | None = None,
    *,
    linestyle: str = "-",
    linewidth: float = 2,
    fill: bool = False,
    alpha: float = 1.0,
    label_at: LabelPlace = "above",
) -> Rectangle:
    """Draw one box on image axes (y pointing down) and, optionally, its label.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    box : array_like, shape (4,)
        ``(x1, y1, x2, y2)`` in pixels, ``x1 <= x2`` and ``y1 <= y2``.
    color : matplotlib colour
        Of the edge, the fill and the label text.
    label : str, optional
        On a white background, so that it stays readable over lines.
    linestyle, linewidth, fill, alpha
        As for :class:`matplotlib.patches.Rectangle`.
    label_at : {"above", "below right", "below left"}
        Above the top-left corner, under the bottom-right corner, or under
        the box to the left of its bottom-left corner.

    Returns
    -------
    matplotlib.patches.Rectangle

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> patch = draw_box(ax, [40, 30, 130, 110], "tab:green", label="真实框")
    >>> patch.get_width(), patch.get_height(), ax.texts[0].get_text()
    (90.0, 80.0, '真实框')
    >>> plt.close(fig)
    """
    x1, y1, x2, y2 = _check_box(ax, box, color, label, linewidth, fill, alpha, label_at)
    patch = Rectangle(
        (x1, y1),
        x2 - x1,
        y2 - y1,
        fill=fill,
        edgecolor=color,
        facecolor=color,
        linestyle=linestyle,
        linewidth=linewidth,
        alpha=alpha,
    )
    ax.add_patch(patch)
    if label:
        x, y, ha, va = {
            "above": (x1 + 2, y1 - 3, "left", "bottom"),
            "below right": (x2 - 2, y2 + 3, "right", "top"),
            "below left": (x1, y2 + 3, "right", "top"),
        }[label_at]
        background = dict(facecolor="white", edgecolor="none", alpha=0.75, pad=0.5)
        ax.text(x, y, label, color=color, fontsize=10, ha=ha, va=va, bbox=background)
    return patch


def image_axes(ax: Axes, width: float, height: float, title: str | None = None) -> Axes:
    """Pixel axes of a ``width`` × ``height`` image, y pointing down as in an image.

    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> image_axes(ax, 200, 160, "IoU").get_ylim() == (160, 0)
    True
    >>> plt.close(fig)
    """
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    width = check_scalar(width, "width", float, min_val=0, include_boundaries="neither")
    height = check_scalar(height, "height", float, min_val=0, include_boundaries="neither")
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_aspect("equal")
    if title is not None:
        ax.set_title(title)
    return ax


def _check_box(
    ax: Axes,
    box: ArrayLike,
    color: ColorType,
    label: str | None,
    linewidth: float,
    fill: bool,
    alpha: float,
    label_at: str,
) -> tuple[float, float, float, float]:
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    corners = as_float_array(box, "box")
    if corners.shape != (4,):
        raise ValueError(f"box must have shape (4,) (x1, y1, x2, y2), got {corners.shape}")
    check_finite(corners, "box")
    x1, y1, x2, y2 = (float(v) for v in corners)
    if x2 < x1 or y2 < y1:
        raise ValueError(f"box (x1, y1, x2, y2) must have x1 <= x2 and y1 <= y2, got {tuple(box)}")
    if not is_color_like(color):
        raise ValueError(f"color must be a matplotlib colour, got {color!r}")
    if label is not None and not isinstance(label, str):
        raise TypeError(
            f"label must be a str or None, got {label!r} of type {type(label).__name__}"
        )
    check_scalar(linewidth, "linewidth", float, min_val=0)
    check_scalar(alpha, "alpha", float, min_val=0, max_val=1)
    check_flag(fill, "fill")
    check_choice(label_at, "label_at", LABEL_PLACES)
    return x1, y1, x2, y2
