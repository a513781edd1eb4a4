"""dlnotes.plotting.boxes: a box and its label on image axes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba

from dlnotes.plotting.boxes import draw_box, image_axes


def test_box_is_a_rectangle_from_its_corners(ax):
    patch = draw_box(ax, np.array([40.0, 30.0, 130.0, 110.0]), "tab:red", linestyle="--")
    assert patch in ax.patches
    assert (patch.get_x(), patch.get_y(), patch.get_width(), patch.get_height()) == (40, 30, 90, 80)
    assert patch.get_edgecolor() == to_rgba("tab:red") and not patch.get_fill()
    assert patch.get_linestyle() == "--" and patch.get_linewidth() == 2
    assert not ax.texts


@pytest.mark.parametrize(
    "label_at, xy, ha, va",
    [
        ("above", (42, 27), "left", "bottom"),
        ("below right", (128, 113), "right", "top"),
        ("below left", (40, 113), "right", "top"),
    ],
)
def test_label_goes_where_asked(ax, label_at, xy, ha, va):
    draw_box(ax, [40, 30, 130, 110], "tab:green", label="真实框", label_at=label_at)
    (text,) = ax.texts
    assert text.get_text() == "真实框" and text.get_position() == xy
    assert (text.get_ha(), text.get_va()) == (ha, va)
    assert text.get_color() == "tab:green" and text.get_fontsize() == 10
    assert text.get_bbox_patch() is not None  # white background under the label


def test_filled_box(ax):
    patch = draw_box(ax, [0, 0, 10, 5], "tab:red", fill=True, alpha=0.2, linewidth=0)
    assert patch.get_fill() and patch.get_alpha() == 0.2 and patch.get_linewidth() == 0


def test_image_axes_point_y_down(ax):
    assert image_axes(ax, 320, 240, "NMS") is ax
    assert ax.get_xlim() == (0, 320) and ax.get_ylim() == (240, 0)
    assert ax.get_title() == "NMS" and ax.get_aspect() == 1.0


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        (([1, 2, 3], "red"), {}, ValueError, r"box must have shape \(4,\) \(x1, y1, x2, y2\)"),
        (([5, 0, 1, 1], "red"), {}, ValueError, "must have x1 <= x2 and y1 <= y2"),
        (([0, 0, np.inf, 1], "red"), {}, ValueError, "box must be finite"),
        (([0, 0, 1, 1], "nope"), {}, ValueError, "color must be a matplotlib colour, got 'nope'"),
        (([0, 0, 1, 1], "red"), {"label_at": "left"}, ValueError, "label_at must be one of"),
        (([0, 0, 1, 1], "red"), {"alpha": 2}, ValueError, r"alpha must lie in \[0, 1\]"),
        (([0, 0, 1, 1], "red"), {"fill": "yes"}, TypeError, "fill must be True or False"),
        (([0, 0, 1, 1], "red"), {"label": 3}, TypeError, "label must be a str or None, got 3"),
    ],
)
def test_bad_boxes_are_refused(ax, args, kwargs, error, message):
    with pytest.raises(error, match=message):
        draw_box(ax, *args, **kwargs)


def test_axes_are_required():
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes, got list"):
        draw_box([], [0, 0, 1, 1], "red")
    with pytest.raises(ValueError, match="width must be > 0, got 0.0"):
        fig, ax = plt.subplots()
        try:
            image_axes(ax, 0, 10)
        finally:
            plt.close(fig)
