"""Input handling shared by the edge-detection functions: an image as a float64 array."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, check_finite, check_nonempty


def _as_image(value: ArrayLike, name: str) -> np.ndarray:
    """``value`` as a non-empty, finite float64 array; bool counts as 0/1, as everywhere."""
    arr = as_float_array(value, name).astype(np.float64, copy=False)
    check_nonempty(arr, name)
    check_finite(arr, name)
    return arr
