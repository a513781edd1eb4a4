"""Closed-form least squares for the linear model z = x·w + b.

Shapes: ``x`` and ``y`` hold m samples; a single feature is (m,) or (m, 1),
several features are (m, d).

The default everywhere is the **centred** computation: subtract the means
first, then form the sums. It gives the same numbers as the textbook
formulas 13, 15 and 16 in exact arithmetic, and keeps its digits when x is
large and varies little (x = 10⁹ + k, seconds since 1970, years). The
textbook formulas stay selectable so that the chapter can show their
catastrophic cancellation; when their answer differs from the centred one
they warn with :class:`CancellationWarning`, and they raise instead of
returning inf or NaN.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, as_samples, check_choice, check_finite, check_rank

__all__ = ["CancellationWarning", "least_squares", "normal_equation", "slope", "intercept"]

# Kept importable here for code written before dlnotes.checks existed.
__all__ += ["as_samples"]

Formula = Literal["centred", 13, 15, 16]
InterceptForm = Literal["mean", "sum"]

# A textbook slope that differs from the centred one by more than this share of its natural
# unit sqrt(Σ(y − ȳ)² / Σ(x − x̄)²) has lost at least half of its digits to cancellation.
_TRUST = 1e-8


class CancellationWarning(RuntimeWarning):
    """A textbook formula lost digits to cancellation; the centred result is the one to trust."""


def _check_line(
    x: ArrayLike, y: ArrayLike, formula: Formula = "centred"
) -> tuple[np.ndarray, np.ndarray]:
    """The one validation step of this module for a line: paired (m,) samples, x not constant."""
    check_choice(formula, "formula", ("centred", 13, 15, 16))
    xs, ys = as_samples(x, "x"), as_samples(y, "y")
    if xs.shape[0] != ys.shape[0]:
        raise ValueError(
            f"x and y must hold the same number of samples, got {xs.shape[0]} and {ys.shape[0]}"
        )
    if xs.shape[0] < 2:
        raise ValueError(f"need at least 2 samples to fit a line, got {xs.shape[0]}")
    if np.all(xs == xs[0]):
        raise ValueError(
            f"x must vary (non-zero variance); all {xs.shape[0]} values equal "
            f"{xs[0].item()!r}, so the slope is undefined"
        )
    return xs, ys


def slope(x: ArrayLike, y: ArrayLike, formula: Formula = "centred") -> float:
    """Least-squares slope w, by the centred sums (default) or one of the textbook formulas.

    Parameters
    ----------
    x, y : array_like, shape (m,) or (m, 1)
    formula : {"centred", 13, 15, 16}
        "centred": ``Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²`` (numerically stable);
        13: ``(m Σxy − Σx Σy) / (m Σx² − (Σx)²)``;
        15: ``Σ y(x − x̄) / (Σx² − (Σx)²/m)``;
        16: ``Σ x(y − ȳ) / (Σx² − x̄ Σx)``.

    Examples
    --------
    >>> slope([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    2.0
    >>> slope([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], 13)
    2.0
    """
    xs, ys = _check_line(x, y, formula)
    m = xs.shape[0]
    dx, dy = xs - xs.mean(), ys - ys.mean()
    centred = float(np.sum(dx * dy) / np.sum(dx * dx))
    if formula == "centred":
        return centred
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if formula == 13:
            numerator = m * np.sum(xs * ys) - np.sum(xs) * np.sum(ys)
            denominator = m * np.sum(xs * xs) - np.sum(xs) ** 2
        elif formula == 15:
            numerator = np.sum(ys * (xs - xs.mean()))
            denominator = np.sum(xs * xs) - np.sum(xs) ** 2 / m
        else:
            numerator = np.sum(xs * (ys - ys.mean()))
            denominator = np.sum(xs * xs) - xs.mean() * np.sum(xs)
        w = float(numerator / denominator)
    return _trusted(w, centred, xs, ys, formula)


def _trusted(w: float, centred: float, xs: np.ndarray, ys: np.ndarray, formula: int) -> float:
    """Return a textbook slope ``w`` that agrees with the centred one; else warn (or raise)."""
    sxx = np.sum((xs - xs.mean()) ** 2)
    loss = np.sum(xs * xs) / sxx  # how much larger the textbook sums are than their difference
    advice = "use formula='centred' (the default), which subtracts the means first"
    if not np.isfinite(w):
        raise ValueError(
            f"slope formula {formula} gave {w} for this x: Σx² is {loss:.1e} times Σ(x − x̄)², "
            f"so its subtraction cancelled to nothing; {advice}"
        )
    # The slope's natural unit: |centred| <= sqrt(Σ(y − ȳ)² / Σ(x − x̄)²), with a floor for a
    # constant y (a slope error below 1e-14 sqrt(Σy² / Σ(x − x̄)²) is the round-off of y itself).
    unit = np.sqrt(np.sum((ys - ys.mean()) ** 2) / sxx) + 1e-6 * np.sqrt(np.sum(ys * ys) / sxx)
    if abs(w - centred) > _TRUST * unit:
        warnings.warn(
            f"slope formula {formula} gives w = {w:.10g} but the centred sums give "
            f"{centred:.10g}: Σx² is {loss:.1e} times Σ(x − x̄)², so the formula's subtraction "
            f"lost most digits (catastrophic cancellation); {advice}",
            CancellationWarning,
            stacklevel=3,
        )
    return w


def intercept(x: ArrayLike, y: ArrayLike, w: float, form: InterceptForm = "mean") -> float:
    """Intercept b for a given slope w.

    ``form="mean"`` uses ``b = ȳ − w x̄`` (formula 9); ``form="sum"`` uses
    ``b = Σ(y − w x) / m`` (formula 14). They are equal in exact arithmetic.

    Examples
    --------
    >>> intercept([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], 2.0)
    1.0
    """
    check_choice(form, "form", ("mean", "sum"))
    xs, ys = _check_line(x, y)
    if form == "mean":
        return float(ys.mean() - w * xs.mean())
    return float(np.sum(ys - w * xs) / xs.shape[0])


def least_squares(
    x: ArrayLike,
    y: ArrayLike,
    method: Formula = "centred",
    intercept_form: InterceptForm = "mean",
) -> tuple[float, float]:
    """Fit ``y ≈ w x + b`` for one input variable in closed form.

    Parameters
    ----------
    x, y : array_like, shape (m,) or (m, 1)
        m ≥ 2 finite samples; x must not be constant.
    method : {"centred", 13, 15, 16}
        Which slope formula to use (see :func:`slope`); the textbook ones warn
        with :class:`CancellationWarning` when they lose digits.
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


def _check_design(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The one validation step of :func:`normal_equation`: X as (m, d), y as (m,), m ≥ d + 1."""
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
    return Xa.astype(np.float64, copy=False), ys


def normal_equation(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, float]:
    """Least squares for several input variables via the normal equation, on centred data.

    Subtracting the means removes the bias from the problem: with
    ``Xc = X − x̄`` and ``yc = y − ȳ`` the weights solve ``(XcᵀXc) w = Xcᵀyc``
    and the bias is ``b = ȳ − x̄·w``. This is the normal equation
    ``(AᵀA) θ = Aᵀy`` of ``A = [X, 1]`` with the bias eliminated; unlike AᵀA,
    XcᵀXc stays well scaled when a feature is large and varies little.
    Each centred column is also divided by its length, so that the rank test
    compares like with like.

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
    >>> X = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, 3.0]]
    >>> w, b = normal_equation(X, [4.0, 3.0, 6.0, 14.0])
    >>> [round(float(v), 6) for v in w], round(b, 6)
    ([2.0, 3.0], 1.0)
    """
    Xa, ys = _check_design(X, y)
    x_mean, y_mean = Xa.mean(axis=0), ys.mean()
    Xc = Xa - x_mean
    length = np.linalg.norm(Xc, axis=0)
    Z = Xc / np.where(length > 0, length, 1.0)  # unit columns; a constant feature stays 0
    gram = Z.T @ Z
    rank = np.linalg.matrix_rank(gram, hermitian=True) + 1  # + 1: the column of ones
    if rank < Xa.shape[1] + 1:
        raise ValueError(
            f"the columns of [X, 1] must be linearly independent (rank {Xa.shape[1] + 1}), "
            f"got rank {rank}: a feature is constant or a combination of the others"
        )
    w = np.linalg.solve(gram, Z.T @ (ys - y_mean)) / length
    return w, float(y_mean - x_mean @ w)
