"""dlnotes.plotting.grids: the step-by-step convolution, and the re-exports."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy.signal import correlate2d

from dlnotes.plotting.grids import conv_frames, conv_steps

SEED_X = np.array([[1, 1, 1], [0, 0, 1], [1, 1, 0]])
SEED_K = np.array([[1, 1], [0, 0]])


def reference_correlation(x, k, stride, padding):
    """Zero-pad, correlate with scipy ('valid'), then keep every stride-th row and column."""
    padded = np.pad(np.asarray(x, dtype=float), padding)
    return correlate2d(padded, np.asarray(k, dtype=float), mode="valid")[::stride, ::stride]


# ---------------------------------------------------------------- conv_steps


def test_seed_example_by_hand():
    # Output (0, 0): window [[1, 1], [0, 0]] against kernel [[1, 1], [0, 0]] -> 1 + 1 = 2;
    # (0, 1): [[1, 1], [0, 1]] -> 2; (1, 0): [[0, 0], [1, 1]] -> 0; (1, 1): [[0, 1], [1, 0]] -> 1.
    steps = conv_steps(SEED_X, SEED_K)
    assert [(s.row, s.col, s.total) for s in steps] == [
        (0, 0, 2.0),
        (0, 1, 2.0),
        (1, 0, 0.0),
        (1, 1, 1.0),
    ]
    np.testing.assert_array_equal(steps[3].window, [[0, 1], [1, 0]])
    np.testing.assert_array_equal(steps[3].products, [[0, 1], [0, 0]])


@pytest.mark.parametrize("stride, padding", [(1, 0), (2, 0), (1, 1), (2, 1), (3, 2)])
def test_steps_match_scipy_correlate2d(stride, padding):
    rng = np.random.default_rng(stride * 10 + padding)
    x = rng.integers(-3, 4, size=(5, 6))
    k = rng.integers(-2, 3, size=(3, 2))
    expected = reference_correlation(x, k, stride, padding)
    steps = conv_steps(x, k, stride=stride, padding=padding)
    assert len(steps) == expected.size
    got = np.array([s.total for s in steps]).reshape(expected.shape)
    np.testing.assert_allclose(got, expected)
    for s in steps:  # the parts add up to the total, and the window sits where it says
        assert s.products.sum() == pytest.approx(s.total)
        assert (s.top, s.left) == (s.row * stride, s.col * stride)


def test_steps_use_the_floor_for_the_output_size():
    # 5 columns, kernel 2, stride 2: (5 - 2) / 2 + 1 = 2.5, floor -> 2 outputs;
    # column 4 is never read.
    x = np.arange(10.0).reshape(2, 5)
    steps = conv_steps(x, np.ones((2, 2)), stride=2)
    assert [(s.row, s.col) for s in steps] == [(0, 0), (0, 1)]
    assert max(s.left for s in steps) + 2 <= 4


def test_non_square_stride_and_padding_pairs():
    x = np.arange(12.0).reshape(3, 4)
    steps = conv_steps(x, np.ones((2, 2)), stride=(1, 2), padding=(0, 1))
    # H: (3 - 2) // 1 + 1 = 2 rows; W: (4 + 2 - 2) // 2 + 1 = 3 columns
    assert len(steps) == 6 and steps[-1][:2] == (1, 2)
    # First window covers padded column 0 (zeros) and x[:2, 0]: 0 + 0 + 0 + 4
    assert steps[0].total == 4.0


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(x=np.ones((3, 3, 1)), k=np.ones((2, 2))), ValueError, "rank 2"),
        (dict(x=np.ones((3, 3)), k=np.ones(2)), ValueError, "rank 2"),
        (dict(x=np.ones((2, 2)), k=np.ones((3, 3))), ValueError, "must fit"),
        (
            dict(x=np.ones((3, 3)), k=np.ones((2, 2)), stride=0),
            ValueError,
            "stride must be >= 1, got 0",
        ),
        (
            dict(x=np.ones((3, 3)), k=np.ones((2, 2)), padding=-1),
            ValueError,
            "padding must be >= 0, got -1",
        ),
        (
            dict(x=np.ones((3, 3)), k=np.ones((2, 2)), stride=1.5),
            TypeError,
            "stride must be an integer",
        ),
        (dict(x=np.array([[1.0, np.nan], [0, 0]]), k=np.ones((1, 1))), ValueError, "finite"),
        (dict(x=np.array([["a", "b"]]), k=np.ones((1, 1))), TypeError, "real numbers"),
    ],
)
def test_conv_steps_rejects_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        conv_steps(**kwargs)


# ---------------------------------------------------------------- conv_frames


@pytest.mark.parametrize(
    "x_shape, k_shape, stride, padding, n_panels",
    [
        ((3, 3), (2, 2), 1, 0, 4),
        ((4, 4), (2, 2), 2, 0, 4),
        ((4, 4), (3, 3), 1, 1, 16),
        ((4, 5), (2, 3), 1, 0, 9),
    ],
)
def test_one_panel_per_output_position(x_shape, k_shape, stride, padding, n_panels):
    fig = conv_frames(np.ones(x_shape), np.ones(k_shape), stride, padding)
    try:
        assert len(fig.subfigs) == n_panels
        assert all(len(panel.axes) == 3 for panel in fig.subfigs)
    finally:
        plt.close(fig)


def test_frames_show_the_running_output():
    fig = conv_frames(SEED_X, SEED_K)
    try:
        last_output = fig.subfigs[-1].axes[2]
        assert [t.get_text() for t in last_output.texts] == ["2", "2", "0", "1"]
        first_output = fig.subfigs[0].axes[2]
        assert [t.get_text() for t in first_output.texts] == [
            "2"
        ]  # the other cells are still empty
        assert "= 1" in fig.subfigs[-1].axes[1].get_title()
    finally:
        plt.close(fig)


def test_frames_render_chinese_without_missing_glyphs(tmp_path):
    fig = conv_frames(SEED_X, SEED_K, padding=1, max_frames=16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(tmp_path / "frames.png", dpi=40)
    plt.close(fig)


def test_conv_frames_refuses_too_many_panels():
    with pytest.raises(ValueError, match=r"5×5 = 25 positions, more than max_frames=16"):
        conv_frames(np.ones((6, 6)), np.ones((2, 2)))
    with pytest.raises(TypeError, match="max_frames must be an integer"):
        conv_frames(SEED_X, SEED_K, max_frames="4")


def test_conv_frames_rejects_a_kernel_larger_than_the_input():
    with pytest.raises(
        ValueError, match=r"k of shape \(4, 4\) must fit into the padded input of shape \(3, 3\)"
    ):
        conv_frames(SEED_X, np.ones((4, 4)))


def test_the_old_module_re_exports_the_same_objects():
    import dlnotes.grids
    import dlnotes.plotting
    import dlnotes.plotting.grids
    import dlnotes.plotting.matrices
    import dlnotes.plotting.tensors

    for name in ("ConvStep", "draw_matrix", "conv_steps", "conv_frames"):
        assert getattr(dlnotes.grids, name) is getattr(dlnotes.plotting.grids, name)
        assert getattr(dlnotes.plotting, name) is getattr(dlnotes.plotting.grids, name)
    assert dlnotes.plotting.grids.draw_matrix is dlnotes.plotting.matrices.draw_matrix
    for name in ("HIGHLIGHT_COLORS", "PAD_GREY"):
        assert getattr(dlnotes.grids, name) is getattr(dlnotes.plotting.matrices, name)
    assert dlnotes.grids.draw_tensor_ranks is dlnotes.plotting.tensors.draw_tensor_ranks
    assert set(dlnotes.grids.__all__) <= set(dlnotes.plotting.__all__)
