"""Small synthetic data sets that the course generates itself (no downloads).

Every generator takes a ``seed`` and returns the same arrays on every machine,
because it uses numpy's ``default_rng`` (PCG64), whose stream is fixed by the seed.
"""

from __future__ import annotations

import numpy as np

from dlnotes.checks import check_positive_int

__all__ = ["make_linear_regression"]


def make_linear_regression(
    m: int = 100,
    weights: tuple[float, ...] | list[float] | np.ndarray = (2.0,),
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
    weights : sequence of float, length d
        True weights; d is the number of features.
    bias : float
        True intercept.
    noise_std : float
        Standard deviation of the Gaussian noise, ≥ 0.
    seed : int
        Seed for ``numpy.random.default_rng``.

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
    m = check_positive_int(m, "m")
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"weights must be a non-empty 1-D sequence, got shape {w.shape}")
    if not noise_std >= 0:
        raise ValueError(f"noise_std must be >= 0, got {noise_std}")
    rng = np.random.default_rng(seed)
    X = rng.random((m, w.size))
    y = X @ w + bias + rng.normal(0.0, noise_std, size=m)
    return X, y
