"""Synthetic data sets that the course generates itself from a fixed seed.

Every generator returns the same arrays on every machine for the same
arguments: it draws from ``numpy.random.default_rng(seed)`` (PCG64), and
``seed`` must be an int (``None`` would draw fresh entropy and is refused).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import (
    as_float_array,
    check_finite,
    check_positive_int,
    check_scalar,
    check_seed,
)

__all__ = ["make_linear_regression", "make_sine_data"]


def _check_recipe(m: int, noise_std: float, seed: int) -> tuple[int, float, int]:
    """The one validation step of this module: m ≥ 1, finite noise_std ≥ 0, an int seed."""
    return (
        check_positive_int(m, "m"),
        check_scalar(noise_std, "noise_std", float, min_val=0),
        check_seed(seed),
    )


def make_linear_regression(
    m: int = 100,
    weights: ArrayLike = (2.0,),
    bias: float = 3.0,
    noise_std: float = 0.2,
    seed: int = 2026,
) -> tuple[np.ndarray, np.ndarray]:
    """Samples of ``y = X @ weights + bias + ε`` with ``ε ~ N(0, noise_std²)``.

    Each feature is drawn uniformly from [0, 1).

    Parameters
    ----------
    m : int
        Number of samples, ≥ 1.
    weights : array_like, shape (d,)
        True weights (finite); d ≥ 1 is the number of features.
    bias : float
        True intercept (finite).
    noise_std : float
        Standard deviation of the Gaussian noise, finite and ≥ 0.
    seed : int
        Seed for ``numpy.random.default_rng``, ≥ 0.

    Returns
    -------
    X : ndarray, shape (m, d)
    y : ndarray, shape (m,)

    Examples
    --------
    >>> X, y = make_linear_regression(m=5, weights=(2.0, -1.0), seed=0)
    >>> X.shape, y.shape
    ((5, 2), (5,))
    """
    m, noise_std, seed = _check_recipe(m, noise_std, seed)
    w = as_float_array(weights, "weights")
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"weights must be a non-empty 1-D sequence, got shape {w.shape}")
    check_finite(w, "weights")
    bias = check_scalar(bias, "bias", float)
    rng = np.random.default_rng(seed)
    X = rng.random((m, w.size))
    y = X @ w + bias + rng.normal(0.0, noise_std, size=m)
    return X, y


def make_sine_data(m: int, noise_std: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Samples of ``y = sin(π x) + ε`` with x uniform on [−1, 1) and ``ε ~ N(0, noise_std²)``.

    Parameters
    ----------
    m : int
        Number of samples, ≥ 1.
    noise_std : float
        Standard deviation of the noise, finite and ≥ 0.
    seed : int
        Seed for ``numpy.random.default_rng``, ≥ 0.

    Returns
    -------
    x, y : ndarray, shape (m,)

    Examples
    --------
    >>> x, y = make_sine_data(5, noise_std=0.0, seed=1)
    >>> bool(np.allclose(y, np.sin(np.pi * x)))
    True
    """
    m, noise_std, seed = _check_recipe(m, noise_std, seed)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=m)
    return x, np.sin(np.pi * x) + rng.normal(0.0, noise_std, size=m)
