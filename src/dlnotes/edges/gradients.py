"""The gradient of an image: its length and direction at every pixel."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import check_same_shape
from dlnotes.edges._image import _as_image

__all__ = ["gradient_magnitude_direction"]


def _check_gradients(gx: ArrayLike, gy: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    gx, gy = _as_image(gx, "gx"), _as_image(gy, "gy")
    check_same_shape(gx, gy, "gx", "gy")
    return gx, gy


def gradient_magnitude_direction(gx: ArrayLike, gy: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Length and angle of the gradient vector ``(gx, gy)`` at every pixel.

    Parameters
    ----------
    gx, gy : array_like, same shape (H, W)
        Derivatives along x (to the right) and y (downwards), e.g. from ``sobel_x``/``sobel_y``.

    Returns
    -------
    magnitude : numpy.ndarray, shape (H, W)
        ``sqrt(gx**2 + gy**2)``.
    direction : numpy.ndarray, shape (H, W)
        ``arctan2(gy, gx)`` in radians, in [-pi, pi]; 0 points right and +pi/2 points down
        (y grows downwards in an image). The gradient points from dark to bright,
        across the edge.

    Examples
    --------
    >>> mag, ang = gradient_magnitude_direction([[3.0]], [[4.0]])
    >>> float(mag[0, 0]), round(float(ang[0, 0]), 4)
    (5.0, 0.9273)
    """
    gx, gy = _check_gradients(gx, gy)
    return np.hypot(gx, gy), np.arctan2(gy, gx)
