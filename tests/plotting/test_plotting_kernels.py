"""dlnotes.plotting.kernels: a kernel as a coloured table, and an image filtered with it."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from scipy.signal import correlate2d

from dlnotes.plotting.kernels import show_kernel, show_response

SOBEL_X = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])


def test_kernel_cells_show_their_weights_on_a_symmetric_scale(ax):
    image = show_kernel(ax, SOBEL_X, "sobel_x")
    assert [t.get_text() for t in ax.texts] == ["-1", "0", "1", "-2", "0", "2", "-1", "0", "1"]
    # |weight| > 0.6 * max|k| = 1.2 is written in white: only the two 2s
    white = [t.get_text() for t in ax.texts if t.get_color() == "white"]
    assert white == ["-2", "2"]
    assert image.get_clim() == (-2.0, 2.0) and image.get_cmap().name == "RdBu_r"
    assert ax.get_title() == "sobel_x" and not ax.get_xticks().size


def test_an_all_zero_kernel_still_draws(ax):
    image = show_kernel(ax, np.zeros((2, 2)))
    assert image.get_clim() == (-1e-9, 1e-9)
    assert [t.get_text() for t in ax.texts] == ["0"] * 4


def test_response_of_a_zero_sum_kernel_is_centred_on_mid_grey(ax):
    gray = np.tile(np.arange(8.0) ** 2, (8, 1))
    image = show_response(ax, gray, SOBEL_X)
    # reflect padding, then the cross-correlation (scipy as the independent reference)
    expected = correlate2d(np.pad(gray, 1, mode="reflect"), SOBEL_X, mode="valid")
    np.testing.assert_allclose(image.get_array(), expected, rtol=1e-12, atol=1e-9)
    limit = np.percentile(np.abs(expected), 99)
    assert image.get_clim() == pytest.approx((-limit, limit))


def test_response_of_a_blur_is_clipped_to_grey_values(ax):
    gray = np.full((6, 6), 300.0)
    image = show_response(ax, gray, np.ones((3, 3)) / 9)
    assert image.get_clim() == (0, 255) and image.get_array().max() == 255
    assert not ax.axison


@pytest.mark.parametrize(
    "kernel, error, message",
    [
        (np.ones(3), ValueError, r"kernel must have rank 2 \(HH, WW\)"),
        (np.zeros((0, 3)), ValueError, "kernel must not be empty"),
        ([[1.0, np.nan]], ValueError, "kernel must be finite"),
        ([["a"]], TypeError, "kernel must hold real numbers"),
    ],
)
def test_bad_kernels_are_refused(ax, kernel, error, message):
    with pytest.raises(error, match=message):
        show_kernel(ax, kernel)


def test_axes_are_required():
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes, got NoneType"):
        show_kernel(None, SOBEL_X)
