"""Polynomial regression: linear regression on the features 1, x, x², …, x^k.

The model ``p(x) = θ₀ + θ₁ x + … + θ_k x^k`` is linear in θ, so fitting it is
least squares with the design matrix ``Φ = [1, x, …, x^k]`` (a Vandermonde
matrix). Coefficients are stored lowest power first, as in ``numpy.polynomial``.

For x far from 0 (years 2000…2020) the columns of Φ are almost parallel and
a direct solve loses every digit. :func:`fit_polynomial` therefore solves in
the scaled variable ``t = (x − c) / h``, which maps the data to [−1, 1], and
converts the result back to the coefficients of x.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.polynomial import polynomial as P
from numpy.typing import ArrayLike

from dlnotes.checks import as_samples, check_positive_int, check_scalar

__all__ = ["polynomial_features", "fit_polynomial", "predict_polynomial"]

# Warn when evaluating the returned coefficients may lose more than this relative accuracy.
_ACCURACY = 1e-6


def polynomial_features(x: ArrayLike, degree: int) -> np.ndarray:
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
    return np.vander(xs, check_positive_int(degree, "degree", minimum=0) + 1, increasing=True)


def _check_fit(
    x: ArrayLike, y: ArrayLike, degree: int, l2: float
) -> tuple[np.ndarray, np.ndarray, int, float]:
    """The one validation step of :func:`fit_polynomial`."""
    xs, ys = as_samples(x, "x"), as_samples(y, "y")
    if xs.shape[0] != ys.shape[0]:
        raise ValueError(
            f"x and y must hold the same number of samples, got {xs.shape[0]} and {ys.shape[0]}"
        )
    degree = check_positive_int(degree, "degree", minimum=0)
    l2 = check_scalar(l2, "l2", float, min_val=0)
    m = xs.shape[0]
    if m == 0:
        raise ValueError("x and y must hold at least 1 sample, got 0")
    if l2 == 0 and m < degree + 1:
        raise ValueError(
            f"an unpenalised fit of degree {degree} needs at least degree + 1 = {degree + 1} "
            f"samples, got {m}; pass l2 > 0 or lower the degree"
        )
    return xs, ys, degree, l2


def _to_powers_of_x(centre: float, half_width: float, degree: int) -> np.ndarray:
    """T, shape (degree + 1, degree + 1): column j holds the coefficients of ((x − c)/h)^j."""
    T = np.zeros((degree + 1, degree + 1))
    for j in range(degree + 1):
        T[: j + 1, j] = P.polypow([-centre / half_width, 1.0 / half_width], j)
    return T


def fit_polynomial(x: ArrayLike, y: ArrayLike, degree: int, l2: float = 0.0) -> np.ndarray:
    """Least-squares (ridge when ``l2 > 0``) polynomial fit.

    Minimises ``(1/2m) Σ (p(x_i) − y_i)² + (l2/2) Σ_{k≥1} θ_k²``: the constant
    term θ₀ is not penalised, so shifting y shifts only θ₀. Solved by lstsq
    (never forming ΦᵀΦ) in the scaled variable t = (x − c)/h ∈ [−1, 1], with
    θ = T φ converting the coefficients φ of t back to those of x.

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
        θ₀, θ₁, …: the lowest power first. Warns (RuntimeWarning) when x lies
        so far from 0 that evaluating these coefficients cannot stay accurate.

    Examples
    --------
    >>> fit_polynomial([0.0, 1.0, 2.0], [1.0, 2.0, 5.0], degree=2).round(6)
    array([1., 0., 1.])
    """
    xs, ys, degree, l2 = _check_fit(x, y, degree, l2)
    centre, half_width = (xs.max() + xs.min()) / 2, (xs.max() - xs.min()) / 2 or 1.0
    T = _to_powers_of_x(centre, half_width, degree)
    design = polynomial_features((xs - centre) / half_width, degree)
    # Rows sqrt(m λ)·(T φ)_k (k ≥ 1) add m λ Σ θ_k² to the squared residual: 2m times the penalty.
    penalty = np.sqrt(xs.shape[0] * l2) * T[1:]
    phi, *_ = np.linalg.lstsq(
        np.vstack([design, penalty]), np.concatenate([ys, np.zeros(degree)]), rcond=None
    )
    _warn_if_inaccurate(np.abs(xs).max() / half_width, degree)
    return T @ phi


def _warn_if_inaccurate(reach: float, degree: int) -> None:
    """Warn if Σ θ_k x^k can lose more than ``_ACCURACY``: its terms grow like (max|x| / h)^k."""
    loss = (degree + 1) * np.finfo(float).eps * reach**degree
    if loss > _ACCURACY:
        warnings.warn(
            f"the coefficients of x of a degree-{degree} fit on data {reach:.3g} half-widths "
            f"from 0 may evaluate with a relative error of about {loss:.0e}; "
            "shift x towards 0 (e.g. x − x.mean()) before fitting",
            RuntimeWarning,
            stacklevel=3,
        )


def predict_polynomial(coef: ArrayLike, x: ArrayLike) -> np.ndarray:
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
