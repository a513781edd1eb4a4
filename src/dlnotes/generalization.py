"""Polynomial regression, ridge (L2) regularisation and bias–variance helpers.

Used to study generalisation: how the training and test errors change with
the capacity of a model (the polynomial degree) and with an L2 penalty.
Coefficients are stored lowest power first, as in ``numpy.polynomial``.
"""

from __future__ import annotations

import numpy as np

from dlnotes.checks import as_float_array, check_finite, check_positive_int
from dlnotes.linear.least_squares import as_samples

__all__ = [
    "make_sine_data",
    "polynomial_features",
    "fit_polynomial",
    "predict_polynomial",
    "mse",
    "bias_variance",
]


def _degree(degree: object) -> int:
    return check_positive_int(degree, "degree", minimum=0)


def make_sine_data(m: int, noise_std: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Samples of ``y = sin(π x) + ε`` with x uniform on [−1, 1) and ``ε ~ N(0, noise_std²)``.

    Parameters
    ----------
    m : int
        Number of samples, ≥ 1.
    noise_std : float
        Standard deviation of the noise, ≥ 0.
    seed : int
        Seed for ``numpy.random.default_rng``.

    Returns
    -------
    x, y : ndarray, shape (m,)

    Examples
    --------
    >>> x, y = make_sine_data(5, noise_std=0.0, seed=1)
    >>> bool(np.allclose(y, np.sin(np.pi * x)))
    True
    """
    m = check_positive_int(m, "m")
    if isinstance(noise_std, bool) or not isinstance(
        noise_std, (int, float, np.integer, np.floating)
    ):
        raise TypeError(
            f"noise_std must be a real number, got {noise_std!r} of type {type(noise_std).__name__}"
        )
    if not noise_std >= 0 or not np.isfinite(noise_std):
        raise ValueError(f"noise_std must be a finite number >= 0, got {noise_std}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=m)
    return x, np.sin(np.pi * x) + rng.normal(0.0, noise_std, size=m)


def polynomial_features(x: object, degree: int) -> np.ndarray:
    """Design matrix with columns ``1, x, x², …, x^degree``.

    Parameters
    ----------
    x : array_like, shape (m,) or (m, 1)
    degree : int
        ≥ 0.

    Returns
    -------
    ndarray, shape (m, degree + 1)

    Examples
    --------
    >>> polynomial_features([2.0, 3.0], 2)
    array([[1., 2., 4.],
           [1., 3., 9.]])
    """
    xs = as_samples(x, "x")
    return np.vander(xs, _degree(degree) + 1, increasing=True)


def fit_polynomial(x: object, y: object, degree: int, l2: float = 0.0) -> np.ndarray:
    """Least-squares (ridge when ``l2 > 0``) polynomial fit.

    Minimises ``(1/2m) Σ (p(x_i) − y_i)² + (l2/2) Σ_{k≥1} θ_k²``: the constant
    term θ₀ is not penalised, so shifting y shifts only θ₀. Solved as a
    stacked least-squares problem (never forming ΦᵀΦ, which squares the
    condition number).

    Parameters
    ----------
    x, y : array_like, shape (m,) or (m, 1)
    degree : int
        ≥ 0. Without a penalty the fit needs m ≥ degree + 1 samples.
    l2 : float
        Penalty strength λ ≥ 0.

    Returns
    -------
    coef : ndarray, shape (degree + 1,)
        θ₀, θ₁, …: the lowest power first.

    Examples
    --------
    >>> fit_polynomial([0.0, 1.0, 2.0], [1.0, 2.0, 5.0], degree=2).round(6)
    array([1., 0., 1.])
    """
    xs, ys = as_samples(x, "x"), as_samples(y, "y")
    if xs.shape[0] != ys.shape[0]:
        raise ValueError(
            f"x and y must hold the same number of samples, got {xs.shape[0]} and {ys.shape[0]}"
        )
    degree = _degree(degree)
    if isinstance(l2, bool) or not isinstance(l2, (int, float, np.integer, np.floating)):
        raise TypeError(f"l2 must be a real number, got {l2!r} of type {type(l2).__name__}")
    if not l2 >= 0 or not np.isfinite(l2):
        raise ValueError(f"l2 must be a finite number >= 0, got {l2}")
    m = xs.shape[0]
    if m == 0:
        raise ValueError("x and y must hold at least 1 sample, got 0")
    if l2 == 0 and m < degree + 1:
        raise ValueError(
            f"an unpenalised fit of degree {degree} needs at least degree + 1 = {degree + 1} samples, got {m}; "
            "pass l2 > 0 or lower the degree"
        )
    design = polynomial_features(xs, degree)
    # Rows sqrt(m λ)·e_k (k ≥ 1) add m λ Σ θ_k² to the squared residual, i.e. 2m times the penalty above.
    penalty = np.sqrt(m * l2) * np.eye(degree + 1)[1:]
    stacked = np.vstack([design, penalty])
    target = np.concatenate([ys, np.zeros(degree)])
    coef, *_ = np.linalg.lstsq(stacked, target, rcond=None)
    return coef


def predict_polynomial(coef: object, x: object) -> np.ndarray:
    """Evaluate ``Σ_k coef[k] x^k``.

    Parameters
    ----------
    coef : array_like, shape (degree + 1,)
        Lowest power first, as returned by :func:`fit_polynomial`.
    x : array_like, shape (m,) or (m, 1)

    Returns
    -------
    ndarray, shape (m,)

    Examples
    --------
    >>> predict_polynomial([1.0, 0.0, 1.0], [0.0, 3.0])
    array([ 1., 10.])
    """
    c = as_samples(coef, "coef")
    if c.shape[0] == 0:
        raise ValueError("coef must hold at least 1 coefficient, got 0")
    return polynomial_features(x, c.shape[0] - 1) @ c


def mse(y_true: object, y_pred: object) -> float:
    """Mean squared error ``(1/m) Σ (ŷ_i − y_i)²`` (no factor ½).

    Examples
    --------
    >>> mse([1.0, 2.0], [1.0, 4.0])
    2.0
    """
    a, p = as_samples(y_true, "y_true"), as_samples(y_pred, "y_pred")
    if a.shape != p.shape:
        raise ValueError(f"y_true and y_pred must have the same shape, got {a.shape} and {p.shape}")
    if a.shape[0] == 0:
        raise ValueError("y_true must hold at least 1 value, got 0")
    return float(np.mean((p - a) ** 2))


def bias_variance(predictions: object, target: object) -> tuple[float, float]:
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
    p = as_float_array(predictions, "predictions")
    if p.ndim != 2:
        raise ValueError(
            f"predictions must have rank 2 (R, n), got rank {p.ndim} with shape {p.shape}"
        )
    check_finite(p, "predictions")
    t = as_samples(target, "target")
    if p.shape[1] != t.shape[0] or p.shape[0] == 0 or p.shape[1] == 0:
        raise ValueError(
            f"predictions must have shape (R >= 1, n = {t.shape[0]} >= 1), got {p.shape}"
        )
    mean = p.mean(axis=0)
    return float(np.mean((mean - t) ** 2)), float(np.mean(p.var(axis=0)))
