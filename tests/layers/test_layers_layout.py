"""NHWC <-> NCHW conversions."""

import numpy as np
import pytest

from dlnotes.layers import hwio_to_oihw, nchw_to_nhwc, nhwc_to_nchw, oihw_to_hwio


def test_nhwc_to_nchw_moves_channels_to_axis_1():
    x = np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5)  # (N, H, W, C)
    y = nhwc_to_nchw(x)
    assert y.shape == (2, 5, 3, 4)
    assert y[1, 4, 2, 3] == x[1, 2, 3, 4]
    assert y.flags.c_contiguous
    np.testing.assert_array_equal(nchw_to_nhwc(y), x)


def test_single_images_are_converted_too():
    image = np.arange(4 * 5 * 3).reshape(4, 5, 3)  # (H, W, C), e.g. from cv2
    chw = nhwc_to_nchw(image)
    assert chw.shape == (3, 4, 5)
    assert chw[2, 1, 0] == image[1, 0, 2]
    np.testing.assert_array_equal(nchw_to_nhwc(chw), image)


def test_kernel_conversion():
    w = np.arange(5 * 4 * 3 * 2).reshape(5, 4, 3, 2)  # (HH, WW, C, F)
    oihw = hwio_to_oihw(w)
    assert oihw.shape == (2, 3, 5, 4)
    assert oihw[1, 2, 4, 3] == w[4, 3, 2, 1]
    np.testing.assert_array_equal(oihw_to_hwio(oihw), w)


def test_results_are_copies():
    x = np.zeros((1, 1, 1, 1))  # a transpose of this is already contiguous
    y = nhwc_to_nchw(x)
    y[...] = 1.0
    assert x.sum() == 0.0


@pytest.mark.parametrize("function", [nhwc_to_nchw, nchw_to_nhwc])
def test_images_of_rank_2_are_rejected(function):
    with pytest.raises(ValueError, match=r"x must have rank 3 or 4 .*got rank 2"):
        function(np.zeros((4, 4)))


@pytest.mark.parametrize("function", [hwio_to_oihw, oihw_to_hwio])
def test_kernels_of_rank_3_are_rejected(function):
    with pytest.raises(ValueError, match=r"w must have rank 4 .*got rank 3"):
        function(np.zeros((3, 3, 3)))
