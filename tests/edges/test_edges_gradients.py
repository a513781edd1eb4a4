"""dlnotes.edges.gradients: gradient_magnitude_direction by hand and on a filtered step."""

import numpy as np
import pytest

from dlnotes.edges.filtering import filter2d
from dlnotes.edges.gradients import gradient_magnitude_direction
from dlnotes.edges.kernels import KERNELS


def test_gradient_of_the_axes_and_a_3_4_5_triangle():
    gx = np.array([[1.0, 0.0, -1.0, 0.0, 3.0]])
    gy = np.array([[0.0, 1.0, 0.0, -1.0, 4.0]])
    mag, ang = gradient_magnitude_direction(gx, gy)
    np.testing.assert_allclose(mag, [[1, 1, 1, 1, 5]], rtol=1e-15)
    np.testing.assert_allclose(
        ang, [[0, np.pi / 2, np.pi, -np.pi / 2, np.arctan(4 / 3)]], rtol=1e-15
    )


def test_gradient_of_a_diagonal_step_points_down_right():
    # Bright where i + j > 6. The image depends on i + j only and sobel_y is sobel_x transposed,
    # so gx == gy away from the border: the angle is +45 degrees (down and to the right).
    i, j = np.indices((8, 8))
    img = (i + j > 6).astype(float)
    gx, gy = filter2d(img, KERNELS["sobel_x"]), filter2d(img, KERNELS["sobel_y"])
    mag, ang = (
        a[1:-1, 1:-1] for a in gradient_magnitude_direction(gx, gy)
    )  # windows inside the image
    on_edge = mag > 0
    assert on_edge.any()
    np.testing.assert_allclose(ang[on_edge], np.pi / 4, rtol=0, atol=1e-12)


def test_gradient_rejects_mismatched_shapes():
    with pytest.raises(
        ValueError, match=r"gx and gy must have the same shape, got \(2, 3\) and \(3, 2\)"
    ):
        gradient_magnitude_direction(np.zeros((2, 3)), np.zeros((3, 2)))


def test_bool_gradients_count_as_0_and_1():
    # as_float_array accepts bool; edges used to refuse it with a TypeError.
    mask = np.random.default_rng(6).random((9, 12)) > 0.5
    as_uint8 = mask.astype(np.uint8)
    mag, _ = gradient_magnitude_direction(mask, np.zeros(mask.shape, dtype=bool))
    np.testing.assert_array_equal(mag, as_uint8)
