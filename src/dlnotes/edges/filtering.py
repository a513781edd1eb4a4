"""Filtering an image with one kernel: ``filter2d`` and its border paddings.

Every filter here is a cross-correlation, the operation that
``torch.nn.functional.conv2d`` and ``cv2.filter2D`` compute:
``out[i, j] = sum(image[i + u, j + v] * kernel[u, v])`` over the window
centred on ``(i, j)``. A convolution in the mathematical sense flips the
kernel first; for the antisymmetric edge kernels that flips the sign.

>>> import numpy as np
>>> from dlnotes.edges import KERNELS
>>> step = np.tile([0.0, 0.0, 1.0, 1.0], (3, 1))   # dark left half, bright right half
>>> filter2d(step, KERNELS["sobel_x"], padding="valid")
array([[4., 4.]])
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import check_choice, check_rank
from dlnotes.edges._image import _as_image

__all__ = ["PADDINGS", "filter2d"]

# padding name -> np.pad mode; the OpenCV / PyTorch names are in filter2d's docstring
PADDINGS = {"zero": "constant", "reflect": "reflect", "replicate": "edge", "valid": None}


Padding = Literal["reflect", "zero", "replicate", "valid"]


def _check_filter(
    image: ArrayLike, kernel: ArrayLike, padding: str
) -> tuple[np.ndarray, np.ndarray]:
    image, kernel = _as_image(image, "image"), _as_image(kernel, "kernel")
    check_rank(image, (2, 3), "image", "(H, W) or (H, W, C)")
    if image.ndim == 3 and image.shape[2] > 4:
        raise ValueError(
            "image of rank 3 must be channels-last (H, W, C) with C <= 4, "
            f"got shape {image.shape}; move a channels-first image with np.moveaxis(image, 0, -1)"
        )
    check_rank(kernel, 2, "kernel", "(KH, KW)")
    if kernel.shape[0] % 2 == 0 or kernel.shape[1] % 2 == 0:
        raise ValueError(
            "kernel must have odd height and width, so that it has a centre pixel, "
            f"got shape {kernel.shape}"
        )
    check_choice(padding, "padding", tuple(PADDINGS))
    (h, w), (kh, kw) = image.shape[:2], kernel.shape
    if padding == "valid" and (h < kh or w < kw):
        raise ValueError(
            "with padding='valid' the image must be at least as large as the kernel "
            f"{kernel.shape}, got {image.shape}"
        )
    if padding == "reflect" and (h <= kh // 2 or w <= kw // 2):
        raise ValueError(
            "with padding='reflect' the image must be larger than the kernel's half-size "
            f"({kh // 2}, {kw // 2}) in both directions, got image shape {image.shape}"
        )
    return image, kernel


def filter2d(image: ArrayLike, kernel: ArrayLike, padding: Padding = "reflect") -> np.ndarray:
    """Cross-correlate a grayscale or colour image with one kernel (each channel separately).

    ``out[i, j] = sum over (u, v) of kernel[u, v] * padded[i + u, j + v]``, computed as one
    pass per kernel entry: the image shifted by (u, v), times the weight, added to the output.
    The extra memory is a few copies of the image, whatever the kernel size.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C) with C <= 4
        Any bool, int, uint or float dtype (uint8 photos included); computed in float64.
    kernel : array_like, shape (KH, KW), both odd
    padding : {"reflect", "zero", "replicate", "valid"}
        What lies beyond the border; for the row ``a b c d`` and a 5-wide kernel:

        - "reflect": ``c b | a b c d | c b``, mirror without repeating the edge pixel;
          cv2 ``BORDER_REFLECT_101`` (the default of ``cv2.filter2D``),
          torch ``F.pad(mode="reflect")``.
        - "zero": ``0 0 | a b c d | 0 0``; cv2 ``BORDER_CONSTANT``,
          torch ``F.conv2d(padding=(KH // 2, KW // 2))``.
        - "replicate": ``a a | a b c d | d d``; cv2 ``BORDER_REPLICATE``,
          torch ``F.pad(mode="replicate")``.
        - "valid": no padding, the output shrinks; torch ``F.conv2d(padding=0)``.

    Returns
    -------
    out : numpy.ndarray, float64
        Shape (H, W) (or (H, W, C)); with "valid", (H - KH + 1, W - KW + 1) (or with C).

    Raises
    ------
    TypeError
        For a complex, object or string dtype.
    ValueError
        For an empty, non-finite or wrongly shaped image or kernel, an even-sized kernel,
        an unknown padding, or an image too small for the padding.

    Examples
    --------
    >>> import numpy as np
    >>> from dlnotes.edges import KERNELS
    >>> ramp = np.arange(5.0)[None, :].repeat(3, axis=0)   # brightness grows by 1 per column
    >>> filter2d(ramp, KERNELS["sobel_x"], padding="replicate")    # slope 1 times weight 8
    array([[4., 8., 8., 8., 4.],
           [4., 8., 8., 8., 4.],
           [4., 8., 8., 8., 4.]])
    >>> filter2d(ramp, KERNELS["sobel_x"], padding="zero")[1]   # zeros fake an edge at the border
    array([  4.,   8.,   8.,   8., -12.])
    """
    image, kernel = _check_filter(image, kernel, padding)
    (kh, kw), channels = kernel.shape, image.shape[2:]
    if padding != "valid":
        border = ((kh // 2, kh // 2), (kw // 2, kw // 2)) + ((0, 0),) * len(channels)
        image = np.pad(image, border, mode=PADDINGS[padding])
    out_h, out_w = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    out = np.zeros((out_h, out_w) + channels)
    for (u, v), weight in np.ndenumerate(kernel):
        out += weight * image[u : u + out_h, v : v + out_w]  # the image shifted by (u, v)
    return out
