"""dlnotes.plotting.attention: attention weights and masks as heat maps."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from dlnotes.plotting.attention import draw_attention


def test_mask_cells_are_marked_and_labelled(ax):
    image = draw_attention(ax, np.tril(np.ones((2, 3), bool)), list("天地"), list("玄黄宇"),
                           title="因果掩码", annotate=True)  # fmt: skip
    assert [t.get_text() for t in ax.texts] == ["✓", "×", "×", "✓", "✓", "×"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["天", "地"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["玄", "黄", "宇"]
    assert ax.get_title() == "因果掩码"
    np.testing.assert_array_equal(image.get_array(), [[1, 0, 0], [1, 1, 0]])


def test_weights_are_written_with_two_decimals_and_default_labels(ax):
    draw_attention(ax, [[0.25, 0.75]], annotate=True)
    assert [t.get_text() for t in ax.texts] == ["0.25", "0.75"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1"]


def test_bad_input_is_rejected(ax):
    with pytest.raises(ValueError, match=r"rows and cols must label the 2×2 weights, got 3 rows"):
        draw_attention(ax, np.eye(2), rows=list("abc"))
    with pytest.raises(ValueError, match=r"weights must have rank 2 \(L, S\): queries × keys"):
        draw_attention(ax, np.ones(3))
    with pytest.raises(ValueError, match=r"weights must be finite"):
        draw_attention(ax, [[np.nan]])
