"""Colour to grey: the BT.601 luma of an RGB or BGR image."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import check_choice, check_rank, check_shape
from dlnotes.edges._image import _as_image

__all__ = ["to_grayscale"]

# ITU-R BT.601 luma weights, in R, G, B order
BT601 = (0.299, 0.587, 0.114)


def _check_rgb(image: ArrayLike, order: str) -> np.ndarray:
    image = _as_image(image, "image")
    check_rank(image, 3, "image", "(H, W, 3)")
    check_shape(image, image.shape[:2] + (3,), "image", "(H, W, 3)")
    check_choice(order, "order", ("RGB", "BGR"))
    return image


def to_grayscale(image: ArrayLike, order: Literal["RGB", "BGR"] = "RGB") -> np.ndarray:
    """Luma ``0.299 R + 0.587 G + 0.114 B`` (ITU-R BT.601), without rounding.

    Parameters
    ----------
    image : array_like, shape (H, W, 3)
        Any bool, int, uint or float dtype; the result keeps its scale (0..255 stays 0..255).
    order : {"RGB", "BGR"}
        Channel order of ``image``; ``cv2.imread`` returns "BGR", matplotlib "RGB".

    Returns
    -------
    gray : numpy.ndarray, shape (H, W), float64
        ``cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)`` gives the same values for float
        input; for uint8 input OpenCV rounds to the nearest integer.

    Examples
    --------
    >>> to_grayscale([[[255, 0, 0], [0, 0, 255]]])          # pure red, pure blue
    array([[76.245, 29.07 ]])
    >>> to_grayscale([[[255, 0, 0], [0, 0, 255]]], order="BGR")
    array([[29.07 , 76.245]])
    """
    image = _check_rgb(image, order)
    weights = np.array(BT601 if order == "RGB" else BT601[::-1])
    return image @ weights
