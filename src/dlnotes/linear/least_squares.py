"""Closed-form least squares for the linear model z = x·w + b.

Shapes: ``x`` and ``y`` hold m samples; a single feature is (m,) or (m, 1),
several features are (m, d).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from dlnotes.checks import as_float_array, check_finite, check_rank

__all__ = ["least_squares", "normal_equation", "slope", "intercept"]

Formula = Literal[13, 15, 16]
InterceptForm = Literal["mean", "sum"]


def as_samples(x: object, name: str) -> np.ndarray:
    """Accept (m,) or (m, 1) and return a float (m,) vector."""
    arr = as_float_array(x, name)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must have shape (m,) or (m, 1) for one input variable, got shape {arr.shape}"
        )
    check_finite(arr, name)
    return arr.astype(np.float64, copy=False)


def _paired_samples(x: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    xs = as_samples(x, "x")
    ys = as_samples(y, "y")
    if xs.shape[0] != ys.shape[0]:
        raise ValueError(
            f"x and y must hold the same number of samples, got {xs.shape[0]} and {ys.shape[0]}"
        )
    if xs.shape[0] < 2:
        raise ValueError(f"need at least 2 samples to fit a line, got {xs.shape[0]}")
    if np.all(xs == xs[0]):
        raise ValueError(
            f"x must vary (non-zero variance); all {xs.shape[0]} values equal {xs[0].item()!r}, so the slope is undefined"
        )
    return xs, ys


def slope(x: object, y: object, formula: Formula = 13) -> float:
    """Least-squares slope w by one of the three textbook formulas.

    Parameters
    ----------
    x, y : array_like, shape (m,) or (m, 1)
    formula : {13, 15, 16}
        13: ``(m Σxy − Σx Σy) / (m Σx² − (Σx)²)``;
        15: ``Σ y(x − x̄) / (Σx² − (Σx)²/m)``;
        16: ``Σ x(y − ȳ) / (Σx² − x̄ Σx)``.

    Examples
    --------
    >>> slope([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    2.0
    """
    xs, ys = _paired_samples(x, y)
    m = xs.shape[0]
    if formula == 13:
        numerator = m * np.sum(xs * ys) - np.sum(xs) * np.sum(ys)
        denominator = m * np.sum(xs * xs) - np.sum(xs) ** 2
    elif formula == 15:
        numerator = np.sum(ys * (xs - xs.mean()))
        denominator = np.sum(xs * xs) - np.sum(xs) ** 2 / m
    elif formula == 16:
        numerator = np.sum(xs * (ys - ys.mean()))
        denominator = np.sum(xs * xs) - xs.mean() * np.sum(xs)
    else:
        raise ValueError(f"formula must be 13, 15 or 16, got {formula!r}")
    return float(numerator / denominator)


def intercept(x: object, y: object, w: float, form: InterceptForm = "mean") -> float:
    """Intercept b for a given slope w.

    ``form="mean"`` uses ``b = ȳ − w x̄`` (formula 9); ``form="sum"`` uses
    ``b = Σ(y − w x) / m`` (formula 14). They are equal in exact arithmetic.
    """
    xs, ys = _paired_samples(x, y)
    if form == "mean":
        return float(ys.mean() - w * xs.mean())
    if form == "sum":
        return float(np.sum(ys - w * xs) / xs.shape[0])
    raise ValueError(f"form must be 'mean' or 'sum', got {form!r}")


def least_squares(
    x: object, y: object, method: Formula = 13, intercept_form: InterceptForm = "mean"
) -> tuple[float, float]:
    """Fit ``y ≈ w x + b`` for one input variable in closed form.

    Parameters
    ----------
    x, y : array_like, shape (m,) or (m, 1)
        m ≥ 2 finite samples; x must not be constant.
    method : {13, 15, 16}
        Which slope formula to use (see :func:`slope`).
    intercept_form : {"mean", "sum"}
        Which form of b to use (see :func:`intercept`).

    Returns
    -------
    (w, b) : tuple of float

    Examples
    --------
    >>> least_squares([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    (2.0, 1.0)
    """
    w = slope(x, y, method)
    return w, intercept(x, y, w, intercept_form)


def normal_equation(X: object, y: object) -> tuple[np.ndarray, float]:
    """Least squares for several input variables via the normal equation.

    Appends a column of ones to X and solves ``(AᵀA) θ = Aᵀy`` with
    ``A = [X, 1]`` and ``θ = (w, b)``.

    Parameters
    ----------
    X : array_like, shape (m, d)
        m samples of d features. A 1-D array is read as d = 1.
    y : array_like, shape (m,) or (m, 1)

    Returns
    -------
    w : ndarray, shape (d,)
    b : float

    Examples
    --------
    >>> w, b = normal_equation([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, 3.0]], [4.0, 3.0, 6.0, 14.0])
    >>> [round(float(v), 6) for v in w], round(b, 6)
    ([2.0, 3.0], 1.0)
    """
    Xa = as_float_array(X, "X")
    if Xa.ndim == 1:
        Xa = Xa[:, None]
    check_rank(Xa, 2, "X", "(m, d)")
    check_finite(Xa, "X")
    ys = as_samples(y, "y")
    m, d = Xa.shape
    if ys.shape[0] != m:
        raise ValueError(f"X and y must hold the same number of samples, got {m} and {ys.shape[0]}")
    if m < d + 1:
        raise ValueError(
            f"need at least d + 1 = {d + 1} samples for {d} features and a bias, got {m}"
        )
    A = np.hstack([Xa, np.ones((m, 1), dtype=Xa.dtype)])
    gram = A.T @ A
    rank = np.linalg.matrix_rank(gram)
    if rank < d + 1:
        raise ValueError(
            f"the columns of [X, 1] must be linearly independent (rank {d + 1}), got rank {rank}: "
            "a feature is constant or a combination of the others"
        )
    theta = np.linalg.solve(gram, A.T @ ys)
    return theta[:d], float(theta[d])
