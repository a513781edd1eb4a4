"""Regression metrics.

Naming across dlnotes: ``mse`` always means ``mean((ŷ − y)²)`` with no factor ½;
a cost with the factor ½ (the lecture notes' J(w, b)) is called ``half_mse``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import as_samples, check_nonempty, check_same_shape

__all__ = ["mean_squared_error"]


def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Mean squared error ``(1/m) Σ (ŷ_i − y_i)²`` (no factor ½), as ``sklearn.metrics.mean_squared_error``.

    Parameters
    ----------
    y_true, y_pred : array_like, shape (m,) or (m, 1)

    Examples
    --------
    >>> mean_squared_error([1.0, 2.0], [1.0, 4.0])
    2.0
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    return float(np.mean((y_pred - y_true) ** 2))


def _check_pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    a, p = as_samples(y_true, "y_true"), as_samples(y_pred, "y_pred")
    check_same_shape(a, p, "y_true", "y_pred")
    check_nonempty(a, "y_true")
    return a, p
