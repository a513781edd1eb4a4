"""dlnotes.edges against OpenCV, PyTorch and hand-computed values."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlnotes.edges import (
    KERNELS,
    PADDINGS,
    filter2d,
    gaussian_kernel,
    gradient_magnitude_direction,
    to_grayscale,
)


@pytest.fixture
def photo():
    """A random 'image' with values in [0, 255), odd and even sizes on purpose."""
    return np.random.default_rng(42).uniform(0, 255, size=(17, 24))


def step_image(rows=4, cols=6, value=1.0):
    """Dark left half, bright right half."""
    img = np.zeros((rows, cols))
    img[:, cols // 2 :] = value
    return img


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
    # Step 0 | 1: each output window sees columns (0, 0, 1) or (0, 1, 1); left - right = -1 per row, 3 rows.
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


# --- filter2d against OpenCV and PyTorch ----------------------------------------------


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


@pytest.mark.parametrize(
    ("padding", "border"),
    [
        ("reflect", "BORDER_REFLECT_101"),
        ("zero", "BORDER_CONSTANT"),
        ("replicate", "BORDER_REPLICATE"),
    ],
)
def test_paddings_match_opencv_borders(photo, padding, border):
    cv2 = pytest.importorskip("cv2")
    kernel = np.random.default_rng(1).normal(size=(3, 5))
    reference = cv2.filter2D(photo, cv2.CV_64F, kernel, borderType=getattr(cv2, border))
    np.testing.assert_allclose(
        filter2d(photo, kernel, padding=padding), reference, rtol=0, atol=1e-9
    )


def test_default_padding_is_the_opencv_default(photo):
    cv2 = pytest.importorskip("cv2")
    reference = cv2.filter2D(photo, cv2.CV_64F, KERNELS["laplacian_8"])
    np.testing.assert_allclose(
        filter2d(photo, KERNELS["laplacian_8"]), reference, rtol=0, atol=1e-9
    )


@pytest.mark.parametrize("padding", ["reflect", "zero", "replicate", "valid"])
@pytest.mark.parametrize("kernel_shape", [(3, 3), (5, 3), (1, 7)])
def test_filter2d_matches_torch_conv2d(photo, padding, kernel_shape):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    kernel = np.random.default_rng(2).normal(size=kernel_shape)
    x = torch.tensor(photo)[None, None]
    w = torch.tensor(kernel)[None, None]
    ph, pw = kernel_shape[0] // 2, kernel_shape[1] // 2
    mode = {"reflect": "reflect", "zero": "constant", "replicate": "replicate"}.get(padding)
    if mode is not None:
        x = F.pad(x, (pw, pw, ph, ph), mode=mode)
    reference = F.conv2d(x, w)[0, 0].numpy()
    out = filter2d(photo, kernel, padding=padding)
    assert out.shape == reference.shape
    np.testing.assert_allclose(out, reference, rtol=0, atol=1e-9)


def test_colour_images_are_filtered_channel_by_channel():
    rgb = np.random.default_rng(3).uniform(0, 1, size=(9, 11, 3))
    out = filter2d(rgb, KERNELS["sobel_x"])
    assert out.shape == (9, 11, 3)
    for c in range(3):
        np.testing.assert_allclose(
            out[..., c], filter2d(rgb[..., c], KERNELS["sobel_x"]), rtol=0, atol=1e-12
        )


def test_valid_padding_shrinks_by_kernel_size_minus_one(photo):
    assert filter2d(photo, np.ones((3, 3))).shape == (17, 24)
    assert filter2d(photo, np.ones((3, 3)), padding="valid").shape == (15, 22)
    assert filter2d(photo, np.ones((5, 1)), padding="valid").shape == (13, 24)


@pytest.mark.parametrize("padding", ["reflect", "zero", "replicate"])
def test_identity_kernel_returns_the_image(photo, padding):
    np.testing.assert_array_equal(filter2d(photo, KERNELS["identity"], padding=padding), photo)


def test_uint8_images_are_computed_in_float_without_wrap_around():
    # In uint8 arithmetic 0 - 255 would wrap to 1; in float it is -255 per row, 3 rows.
    img = step_image(3, 4, value=255).astype(np.uint8)
    out = filter2d(img, KERNELS["vertical_edge"], padding="valid")
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[-765.0, -765.0]])


def test_convolution_is_correlation_with_the_flipped_kernel():
    # numpy's 1-D np.convolve flips the kernel; np.correlate does not.
    row = np.array([0.0, 1.0, 4.0, 9.0, 16.0])
    kernel = np.array([1.0, 2.0, -3.0])
    out = filter2d(row[None, :], kernel[None, :], padding="valid")[0]
    np.testing.assert_allclose(out, np.correlate(row, kernel, mode="valid"), rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        filter2d(row[None, :], kernel[None, ::-1], padding="valid")[0],
        np.convolve(row, kernel, mode="valid"),
        rtol=0,
        atol=1e-12,
    )


@given(
    a=arrays(np.float64, (6, 7), elements=st.floats(-100, 100)),
    b=arrays(np.float64, (6, 7), elements=st.floats(-100, 100)),
    s=st.floats(-3, 3),
    padding=st.sampled_from(sorted(PADDINGS)),
)
def test_filtering_is_linear(a, b, s, padding):
    k = KERNELS["sobel_y"]
    np.testing.assert_allclose(
        filter2d(a + s * b, k, padding),
        filter2d(a, k, padding) + s * filter2d(b, k, padding),
        rtol=1e-9,
        atol=1e-9,
    )


# --- gaussian_kernel ------------------------------------------------------------------


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
        (3, 0.0, ValueError, r"sigma must be a finite number > 0, got 0\.0"),
        (3, -1, ValueError, r"sigma must be a finite number > 0, got -1"),
        (3, float("nan"), ValueError, r"sigma must be a finite number > 0, got nan"),
        (3, "1", TypeError, r"sigma must be a number, got '1' of type str"),
        (3, True, TypeError, r"sigma must be a number, got True of type bool"),
    ],
)
def test_gaussian_kernel_rejects_bad_arguments(size, sigma, error, message):
    with pytest.raises(error, match=message):
        gaussian_kernel(size, sigma)


# --- gradient_magnitude_direction -----------------------------------------------------


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


# --- to_grayscale ---------------------------------------------------------------------


def test_grayscale_of_primary_colours_is_the_bt601_weights():
    # The weights are 0.299, 0.587, 0.114 (ITU-R BT.601) and sum to 1, so white stays white.
    rgb = np.array([[[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0], [255, 255, 255]]])
    np.testing.assert_allclose(to_grayscale(rgb), [[0.299, 0.587, 0.114, 255.0]], rtol=1e-14)


def test_bgr_order_reads_the_channels_backwards():
    rgb = np.random.default_rng(4).uniform(0, 255, size=(5, 6, 3))
    np.testing.assert_allclose(
        to_grayscale(rgb[..., ::-1], order="BGR"), to_grayscale(rgb), rtol=1e-14
    )


def test_grayscale_matches_opencv():
    cv2 = pytest.importorskip("cv2")
    u8 = np.random.default_rng(5).integers(0, 256, size=(40, 30, 3), dtype=np.uint8)
    ours = to_grayscale(u8)
    # float input: OpenCV uses the exact weights in float32
    np.testing.assert_allclose(
        cv2.cvtColor(u8.astype(np.float32), cv2.COLOR_RGB2GRAY), ours, rtol=0, atol=1e-3
    )
    # uint8 input: OpenCV rounds to an integer (fixed-point weights), so it may differ by 0.5 and a little
    assert np.abs(cv2.cvtColor(u8, cv2.COLOR_RGB2GRAY) - ours).max() <= 0.51
    assert (
        np.abs(cv2.cvtColor(u8, cv2.COLOR_BGR2GRAY) - to_grayscale(u8, order="BGR")).max() <= 0.51
    )


@pytest.mark.parametrize(
    ("image", "order", "error", "message"),
    [
        (np.zeros((4, 4)), "RGB", ValueError, r"image must have shape \(H, W, 3\), got \(4, 4\)"),
        (
            np.zeros((4, 4, 4)),
            "RGB",
            ValueError,
            r"image must have shape \(H, W, 3\), got \(4, 4, 4\)",
        ),
        (np.zeros((4, 4, 3)), "rgb", ValueError, r"order must be 'RGB' or 'BGR', got 'rgb'"),
        (np.zeros((4, 4, 3), dtype=bool), "RGB", TypeError, r"got dtype bool"),
    ],
)
def test_grayscale_rejects_bad_input(image, order, error, message):
    with pytest.raises(error, match=message):
        to_grayscale(image, order=order)


# --- bad input to filter2d ------------------------------------------------------------

GOOD = np.zeros((8, 8))
K3 = KERNELS["sobel_x"]


@pytest.mark.parametrize(
    ("image", "kernel", "padding", "error", "message"),
    [
        (
            GOOD,
            np.ones((2, 2)),
            "reflect",
            ValueError,
            r"kernel must have odd height and width.*got shape \(2, 2\)",
        ),
        (GOOD, np.ones((3, 4)), "reflect", ValueError, r"odd height and width.*got shape \(3, 4\)"),
        (
            GOOD,
            np.ones(3),
            "reflect",
            ValueError,
            r"kernel must have rank 2 \(KH, KW\), got rank 1 with shape \(3,\)",
        ),
        (GOOD, np.ones((1, 3, 3)), "reflect", ValueError, r"kernel must have rank 2 .*got rank 3"),
        (
            GOOD,
            np.ones((0, 3)),
            "reflect",
            ValueError,
            r"kernel must not be empty, got shape \(0, 3\)",
        ),
        (GOOD, np.array([[np.inf]]), "reflect", ValueError, r"kernel must be finite .*got inf"),
        (
            GOOD,
            K3 + 0j,
            "reflect",
            TypeError,
            r"kernel must hold real numbers .*got dtype complex128",
        ),
        (
            np.zeros((0, 5)),
            K3,
            "reflect",
            ValueError,
            r"image must not be empty, got shape \(0, 5\)",
        ),
        (np.zeros(8), K3, "reflect", ValueError, r"image must have rank 2 or 3 .*got rank 1"),
        (
            np.zeros((1, 8, 8, 1)),
            K3,
            "reflect",
            ValueError,
            r"image must have rank 2 or 3 .*got rank 4",
        ),
        (
            np.zeros((3, 8, 8)),
            K3,
            "reflect",
            ValueError,
            r"channels-last \(H, W, C\) with C <= 4, got shape \(3, 8, 8\)",
        ),
        (
            GOOD.astype(bool),
            K3,
            "reflect",
            TypeError,
            r"image must hold real numbers .*got dtype bool; convert a mask",
        ),
        (GOOD.astype(complex), K3, "reflect", TypeError, r"got dtype complex128"),
        (GOOD.astype(object), K3, "reflect", TypeError, r"got dtype object"),
        (np.full((8, 8), "a"), K3, "reflect", TypeError, r"got dtype <U1"),
        (
            np.full((8, 8), np.nan),
            K3,
            "reflect",
            ValueError,
            r"image must be finite .*got nan at index \(0, 0\)",
        ),
        (
            GOOD,
            K3,
            "same",
            ValueError,
            r"padding must be one of 'zero', 'reflect', 'replicate', 'valid', got 'same'",
        ),
        (GOOD, K3, 1, TypeError, r"padding must be a string, one of .*got 1"),
        (
            np.zeros((2, 8)),
            K3,
            "valid",
            ValueError,
            r"at least as large as the kernel \(3, 3\), got \(2, 8\)",
        ),
        (
            np.zeros((8, 2)),
            np.ones((5, 5)),
            "reflect",
            ValueError,
            r"larger than the kernel's half-size \(2, 2\).*got image shape \(8, 2\)",
        ),
    ],
)
def test_filter2d_rejects_bad_input(image, kernel, padding, error, message):
    with pytest.raises(error, match=message):
        filter2d(image, kernel, padding=padding)
