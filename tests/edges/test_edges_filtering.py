"""dlnotes.edges.filtering: filter2d against OpenCV, PyTorch, SciPy and hand-computed values."""

import tracemalloc

import numpy as np
import pytest
from edges_images import step_image
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlnotes.edges.filtering import PADDINGS, filter2d
from dlnotes.edges.kernels import KERNELS, gaussian_kernel

# --- filter2d against OpenCV and PyTorch --------------------------------------------


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


# --- bad input to filter2d ----------------------------------------------------------


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
            r"padding must be one of 'zero', 'reflect', 'replicate', 'valid'; got 'same'",
        ),
        (GOOD, K3, 1, ValueError, r"padding must be one of 'zero', .*; got 1"),
        (GOOD, K3, ["zero"], ValueError, r"padding must be one of .*; got \['zero'\]"),
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


# --- regression tests: bool images, memory ------------------------------------------


def test_bool_images_count_as_0_and_1_as_everywhere_in_dlnotes():
    # as_float_array accepts bool; edges used to refuse it with a TypeError.
    mask = np.random.default_rng(6).random((9, 12)) > 0.5
    as_uint8 = mask.astype(np.uint8)
    np.testing.assert_array_equal(filter2d(mask, K3), filter2d(as_uint8, K3))
    np.testing.assert_array_equal(
        filter2d(as_uint8, mask[:3, :3]), filter2d(as_uint8, as_uint8[:3, :3])
    )


@pytest.mark.parametrize("padding", ["reflect", "zero", "replicate", "valid"])
@pytest.mark.parametrize("channels", [None, 3])
def test_filter2d_matches_scipy_correlate(padding, channels):
    ndimage = pytest.importorskip("scipy.ndimage")
    rng = np.random.default_rng(7)
    image = rng.uniform(0, 255, (23, 19) if channels is None else (23, 19, channels))
    kernel = rng.normal(size=(7, 5))
    mode = {"reflect": "mirror", "zero": "constant", "replicate": "nearest", "valid": "constant"}
    weights = kernel if channels is None else kernel[:, :, None]
    reference = ndimage.correlate(image, weights, mode=mode[padding], cval=0.0)
    if padding == "valid":
        reference = reference[3:-3, 2:-2]
    np.testing.assert_allclose(filter2d(image, kernel, padding), reference, rtol=0, atol=1e-9)


def test_a_large_blur_matches_opencv():
    cv2 = pytest.importorskip("cv2")
    image = np.random.default_rng(8).uniform(0, 255, (70, 64, 3))
    kernel = gaussian_kernel(31, 5.0)
    reference = cv2.filter2D(image, cv2.CV_64F, kernel, borderType=cv2.BORDER_REFLECT_101)
    np.testing.assert_allclose(filter2d(image, kernel), reference, rtol=0, atol=1e-10)


def test_filter2d_memory_does_not_grow_with_the_kernel_size():
    # The old im2col copy needed 8 k**2 bytes per pixel and channel: 65 MB here (k = 15).
    # Shifted sums need the padded image, the output and one temporary: a few image copies.
    image = np.random.default_rng(9).uniform(0, 255, (120, 100, 3))
    kernel = np.ones((15, 15)) / 225
    filter2d(image, kernel)  # warm-up: first-call imports are not what is measured
    tracemalloc.start()
    try:
        filter2d(image, kernel)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 6 * image.nbytes, f"peak {peak / image.nbytes:.1f} image copies"
