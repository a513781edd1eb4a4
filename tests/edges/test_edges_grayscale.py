"""dlnotes.edges.grayscale: to_grayscale against the BT.601 weights and OpenCV."""

import numpy as np
import pytest

from dlnotes.edges.grayscale import to_grayscale


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
    # uint8 input: OpenCV rounds to an integer (fixed-point weights), so it may differ by 0.5
    # and a little
    assert np.abs(cv2.cvtColor(u8, cv2.COLOR_RGB2GRAY) - ours).max() <= 0.51
    assert (
        np.abs(cv2.cvtColor(u8, cv2.COLOR_BGR2GRAY) - to_grayscale(u8, order="BGR")).max() <= 0.51
    )


@pytest.mark.parametrize(
    ("image", "order", "error", "message"),
    [
        (
            np.zeros((4, 4)),
            "RGB",
            ValueError,
            r"image must have rank 3 \(H, W, 3\), got rank 2 with shape \(4, 4\)",
        ),
        (
            np.zeros((4, 4, 4)),
            "RGB",
            ValueError,
            r"image must have shape \(4, 4, 3\) \(H, W, 3\), got \(4, 4, 4\)",
        ),
        (np.zeros((4, 4, 3)), "rgb", ValueError, r"order must be one of 'RGB', 'BGR'; got 'rgb'"),
        (np.zeros((4, 4, 3), dtype=complex), "RGB", TypeError, r"got dtype complex128"),
        (np.zeros((0, 4, 3)), "RGB", ValueError, r"image must not be empty, got shape \(0, 4, 3\)"),
    ],
)
def test_grayscale_rejects_bad_input(image, order, error, message):
    with pytest.raises(error, match=message):
        to_grayscale(image, order=order)


def test_bool_colour_images_count_as_0_and_1():
    # as_float_array accepts bool; edges used to refuse it with a TypeError.
    mask = np.random.default_rng(6).random((9, 12)) > 0.5
    colour = np.stack([mask, ~mask, mask], axis=-1)
    np.testing.assert_allclose(to_grayscale(colour), 0.299 * mask + 0.587 * ~mask + 0.114 * mask)
