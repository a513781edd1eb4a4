"""dlnotes.plotting.matrices: a small array drawn as a grid of numbered cells."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Rectangle

from dlnotes.plotting.matrices import draw_matrix


def test_draw_matrix_writes_every_number_and_skips_nan(ax):
    draw_matrix(ax, [[1, 2.5], [np.nan, -3]])
    assert [t.get_text() for t in ax.texts] == ["1", "2.50", "-3"]


def test_draw_matrix_highlights_the_requested_windows(ax):
    draw_matrix(ax, np.zeros((4, 4)), highlight=[(0, 0, 2, 2), (2, 1, 2, 3)], title="池化窗口")
    outlines = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]
    # Rectangle xy is (column, row) because x runs along the columns
    assert [(p.get_xy(), p.get_width(), p.get_height()) for p in outlines] == [
        ((0, 0), 2, 2),
        ((1, 2), 3, 2),
    ]
    assert outlines[0].get_edgecolor() != outlines[1].get_edgecolor()
    assert ax.get_title() == "池化窗口"


def test_draw_matrix_text_and_shade(ax):
    draw_matrix(ax, np.zeros((1, 2)), text=[["a", "b"]], shade=np.array([[True, False]]))
    assert [t.get_text() for t in ax.texts] == ["a", "b"]
    cells = [p for p in ax.patches if p.get_fill()]
    assert cells[0].get_facecolor() != cells[1].get_facecolor()


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (
            dict(values=np.zeros((2, 2, 2))),
            ValueError,
            r"values must have rank 2 \(H, W\), got rank 3",
        ),
        (dict(values=np.zeros((2, 2)), highlight=(1, 1, 2, 1)), ValueError, "inside the 2×2 grid"),
        (
            dict(values=np.zeros((2, 2)), highlight=[(0, 0, 1)]),
            ValueError,
            r"\(row, col, height, width\)",
        ),
        (dict(values=np.zeros((2, 2)), highlight=3), TypeError, "got int"),
        (dict(values=np.zeros((2, 2)), highlight=(0, 0, 0, 1)), ValueError, ">= 1, got 0"),
        (
            dict(values=np.zeros((2, 2)), text=[["a"]]),
            ValueError,
            r"text must have the shape of values \(2, 2\)",
        ),
        (
            dict(values=np.zeros((2, 2)), shade=np.ones((2, 2))),
            ValueError,
            "shade must be a bool array",
        ),
    ],
)
def test_draw_matrix_rejects_bad_input(ax, kwargs, error, words):
    with pytest.raises(error, match=words):
        draw_matrix(ax, **kwargs)


def test_draw_matrix_needs_axes():
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes, got Figure"):
        fig = plt.figure()
        try:
            draw_matrix(fig, [[1]])
        finally:
            plt.close(fig)
