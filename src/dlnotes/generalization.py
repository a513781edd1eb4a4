"""Generalisation: the bias–variance decomposition of a model's expected error.

The chapter studies how the training and test errors change with the
capacity of a model (the polynomial degree) and with an L2 penalty. Its tools
live where a reader looks for them, and are re-exported here so that the
chapter needs one import:

* polynomial regression (``polynomial_features``, ``fit_polynomial``,
  ``predict_polynomial``) is linear regression on features: :mod:`dlnotes.linear.polynomial`;
* the data ``make_sine_data``: :mod:`dlnotes.datasets`;
* ``mse`` is :func:`dlnotes.metrics.regression.mean_squared_error` (no factor ½).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, as_samples, check_finite, check_rank
from dlnotes.datasets import make_sine_data
from dlnotes.linear.polynomial import fit_polynomial, polynomial_features, predict_polynomial
from dlnotes.metrics.regression import mean_squared_error as mse

__all__ = [
    "make_sine_data",
    "polynomial_features",
    "fit_polynomial",
    "predict_polynomial",
    "mse",
    "bias_variance",
]


def _check_predictions(predictions: ArrayLike, target: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The one validation step of this module: predictions (R, n) and target (n,), R, n ≥ 1."""
    p = as_float_array(predictions, "predictions")
    check_rank(p, 2, "predictions", "(R, n)")
    check_finite(p, "predictions")
    t = as_samples(target, "target")
    if p.shape[1] != t.shape[0] or p.shape[0] == 0 or p.shape[1] == 0:
        raise ValueError(
            f"predictions must have shape (R >= 1, n = {t.shape[0]} >= 1), got {p.shape}"
        )
    return p, t


def bias_variance(predictions: ArrayLike, target: ArrayLike) -> tuple[float, float]:
    """Squared bias and variance of predictions from models fitted on R resampled training sets.

    At each of n points, the bias is (mean prediction − target) and the
    variance is the spread of the R predictions around their mean (divided
    by R); both are then averaged over the n points.

    Parameters
    ----------
    predictions : array_like, shape (R, n)
        Row r: the predictions of the model fitted on training set r.
    target : array_like, shape (n,)
        The noise-free function values at the n points.

    Returns
    -------
    (bias², variance) : tuple of float

    Examples
    --------
    >>> bias_variance([[1.0, 2.0], [3.0, 2.0]], [1.0, 1.0])
    (1.0, 0.5)
    """
    p, t = _check_predictions(predictions, target)
    mean = p.mean(axis=0)
    return float(np.mean((mean - t) ** 2)), float(np.mean(p.var(axis=0)))
