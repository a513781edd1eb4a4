"""dlnotes.edges.kernels: the named kernels and gaussian_kernel, against OpenCV and by hand."""

import math
import warnings

import numpy as np
import pytest
from edges_images import step_image

from dlnotes.edges.filtering import filter2d
from dlnotes.edges.kernels import KERNELS, gaussian_kernel

# --- the kernel table ---------------------------------------------------------------


def test_kernel_table_holds_read_only_float64_3x3_arrays():
    expected = {
        "identity",
        "vertical_edge",
        "horizontal_edge",
        "prewitt_x",
        "prewitt_y",
        "sobel_x",
        "sobel_y",
        "scharr_x",
        "scharr_y",
        "laplacian_4",
        "laplacian_8",
        "box",
        "gaussian",
    }
    assert set(KERNELS) == expected and len(KERNELS) == len(expected)
    for name, kernel in KERNELS.items():
        assert kernel.shape == (3, 3) and kernel.dtype == np.float64, name
        with pytest.raises(ValueError, match="read-only"):
            kernel[0, 0] = 99.0
    with pytest.raises(TypeError):
        KERNELS["mine"] = np.eye(3)  # a Mapping has no __setitem__


def test_unknown_kernel_name_lists_the_known_ones():
    with pytest.raises(
        KeyError, match=r"unknown kernel 'sobel'; expected one of identity, .*sobel_x"
    ):
        KERNELS["sobel"]


def test_derivative_kernels_sum_to_zero_and_smoothers_to_one():
    # A derivative of a flat image is 0; smoothing a flat image leaves it unchanged.
    for name in (
        "vertical_edge",
        "horizontal_edge",
        "prewitt_x",
        "prewitt_y",
        "sobel_x",
        "sobel_y",
        "scharr_x",
        "scharr_y",
        "laplacian_4",
        "laplacian_8",
    ):
        assert KERNELS[name].sum() == 0, name
    for name in ("identity", "box", "gaussian"):
        assert KERNELS[name].sum() == pytest.approx(1.0, abs=1e-15), name


def test_lecture_note_kernels_compute_left_minus_right_and_top_minus_bottom():
    # Step 0 | 1: each output window sees columns (0, 0, 1) or (0, 1, 1);
    # left - right = -1 per row, 3 rows.
    out = filter2d(step_image(3, 4), KERNELS["vertical_edge"], padding="valid")
    np.testing.assert_array_equal(out, [[-3.0, -3.0]])
    out = filter2d(
        step_image(3, 4).T, KERNELS["horizontal_edge"], padding="valid"
    )  # dark top, bright bottom
    np.testing.assert_array_equal(out, [[-3.0], [-3.0]])
    # ... and they are the Prewitt kernels with the opposite sign.
    np.testing.assert_array_equal(KERNELS["vertical_edge"], -KERNELS["prewitt_x"])
    np.testing.assert_array_equal(KERNELS["horizontal_edge"], -KERNELS["prewitt_y"])


def test_sobel_x_is_positive_where_the_image_brightens_to_the_right():
    # Rows weighted 1, 2, 1 and a rise of 1 across the window: 1 + 2 + 1 = 4.
    np.testing.assert_array_equal(
        filter2d(step_image(3, 4), KERNELS["sobel_x"], padding="valid"), [[4.0, 4.0]]
    )
    np.testing.assert_array_equal(
        filter2d(step_image(3, 4).T, KERNELS["sobel_y"], padding="valid"), [[4.0], [4.0]]
    )


def test_named_kernels_match_the_opencv_operators(photo):
    cv2 = pytest.importorskip("cv2")
    references = {
        "sobel_x": cv2.Sobel(photo, cv2.CV_64F, 1, 0, ksize=3),
        "sobel_y": cv2.Sobel(photo, cv2.CV_64F, 0, 1, ksize=3),
        "scharr_x": cv2.Scharr(photo, cv2.CV_64F, 1, 0),
        "scharr_y": cv2.Scharr(photo, cv2.CV_64F, 0, 1),
        "laplacian_4": cv2.Laplacian(photo, cv2.CV_64F, ksize=1),
        "box": cv2.blur(photo, (3, 3)),
        "gaussian": cv2.GaussianBlur(photo, (3, 3), 0),
    }
    for name, reference in references.items():
        np.testing.assert_allclose(
            filter2d(photo, KERNELS[name]), reference, rtol=0, atol=1e-9, err_msg=name
        )


# --- gaussian_kernel ----------------------------------------------------------------


def test_gaussian_kernel_matches_the_closed_form():
    u = np.arange(-2, 3)
    g = np.exp(-(u**2) / (2 * 0.8**2))
    np.testing.assert_allclose(
        gaussian_kernel(5, 0.8), np.outer(g, g) / np.outer(g, g).sum(), rtol=1e-14, atol=0
    )
    assert gaussian_kernel(1, 2.0).tolist() == [[1.0]]


@pytest.mark.parametrize(("size", "sigma"), [(3, 0.5), (7, 1.3), (9, 2)])
def test_gaussian_kernel_matches_opencv(size, sigma):
    cv2 = pytest.importorskip("cv2")
    g = cv2.getGaussianKernel(size, sigma, ktype=cv2.CV_64F)
    np.testing.assert_allclose(gaussian_kernel(size, sigma), g @ g.T, rtol=1e-12, atol=0)


@pytest.mark.parametrize(
    ("size", "sigma", "error", "message"),
    [
        (4, 1.0, ValueError, r"size must be odd, .* got 4"),
        (0, 1.0, ValueError, r"size must be >= 1, got 0"),
        (3.0, 1.0, TypeError, r"size must be an integer, got 3\.0"),
        (-3, 1.0, ValueError, r"size must be >= 1, got -3"),
        (True, 1.0, TypeError, r"size must be an integer, got True of type bool"),
        (3, 0.0, ValueError, r"sigma must be > 0, got 0\.0"),
        (3, -1, ValueError, r"sigma must be > 0, got -1\.0"),
        (3, float("nan"), ValueError, r"sigma must be finite, got nan"),
        (3, float("inf"), ValueError, r"sigma must be finite, got inf"),
        (3, "1", TypeError, r"sigma must be a real number, got '1' of type str"),
        (3, True, TypeError, r"sigma must be a real number, got True of type bool"),
    ],
)
def test_gaussian_kernel_rejects_bad_arguments(size, sigma, error, message):
    with pytest.raises(error, match=message):
        gaussian_kernel(size, sigma)


# --- regression tests: tiny and huge sigma ------------------------------------------


@pytest.mark.parametrize("sigma", [1e-200, 1e-320, 5e-324, 1e-160, 1e-3])
@pytest.mark.parametrize("size", [1, 3, 7])
def test_a_tiny_sigma_gives_the_delta_kernel_exactly(size, sigma):
    # g(1) = exp(-1 / (2 sigma**2)) < exp(-500000) underflows to 0: only the centre weight is left.
    # (1e-200 used to give all NaN: sigma**2 underflowed to 0 and 0 / 0 appeared at the centre.)
    delta = np.zeros((size, size))
    delta[size // 2, size // 2] = 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or invalid-value warning either
        kernel = gaussian_kernel(size, sigma)
    np.testing.assert_array_equal(kernel, delta)


def test_a_small_sigma_keeps_its_tiny_side_weights():
    # sigma = 0.1: g(+-1) = exp(-50), normalised by 1 + 2 exp(-50); math.exp is independent of numpy
    side = math.exp(-50.0)
    g = np.array([side, 1.0, side]) / (1.0 + 2.0 * side)
    np.testing.assert_allclose(gaussian_kernel(3, 0.1), np.outer(g, g), rtol=1e-13, atol=0)


def test_a_huge_sigma_gives_the_box_kernel():
    np.testing.assert_allclose(gaussian_kernel(5, 1e200), np.full((5, 5), 1 / 25), rtol=1e-15)
