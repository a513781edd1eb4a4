"""Conversions between the lecture notes' NHWC layout and PyTorch's NCHW layout.

The lecture notes store images as (N, H, W, C) and kernels as (HH, WW, C, F);
PyTorch, and every function in ``dlnotes.layers``, use (N, C, H, W) and
(F, C, HH, WW). All helpers return new contiguous arrays, so writing to the
result never changes the argument.

>>> import numpy as np
>>> x = np.zeros((10, 28, 28, 3))             # NHWC, as in the lecture notes
>>> nhwc_to_nchw(x).shape
(10, 3, 28, 28)
>>> hwio_to_oihw(np.zeros((5, 5, 3, 32))).shape
(32, 3, 5, 5)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import check_rank

__all__ = ["nhwc_to_nchw", "nchw_to_nhwc", "hwio_to_oihw", "oihw_to_hwio"]


def nhwc_to_nchw(x: ArrayLike) -> np.ndarray:
    """(N, H, W, C) -> (N, C, H, W); a single image (H, W, C) -> (C, H, W)."""
    x = np.asarray(x)
    check_rank(x, (3, 4), "x", "(N, H, W, C) or (H, W, C)")
    axes = (2, 0, 1) if x.ndim == 3 else (0, 3, 1, 2)
    return x.transpose(axes).copy()


def nchw_to_nhwc(x: ArrayLike) -> np.ndarray:
    """(N, C, H, W) -> (N, H, W, C); a single image (C, H, W) -> (H, W, C)."""
    x = np.asarray(x)
    check_rank(x, (3, 4), "x", "(N, C, H, W) or (C, H, W)")
    axes = (1, 2, 0) if x.ndim == 3 else (0, 2, 3, 1)
    return x.transpose(axes).copy()


def hwio_to_oihw(w: ArrayLike) -> np.ndarray:
    """Kernel (HH, WW, C, F) of the lecture notes -> (F, C, HH, WW) of PyTorch."""
    w = np.asarray(w)
    check_rank(w, 4, "w", "(HH, WW, C, F)")
    return w.transpose(3, 2, 0, 1).copy()


def oihw_to_hwio(w: ArrayLike) -> np.ndarray:
    """Kernel (F, C, HH, WW) of PyTorch -> (HH, WW, C, F) of the lecture notes."""
    w = np.asarray(w)
    check_rank(w, 4, "w", "(F, C, HH, WW)")
    return w.transpose(2, 3, 1, 0).copy()
