"""Numerical gradients and a relative-error measure for checking backward passes.

The usual check of a hand-written ``backward`` compares it with central
differences::

    >>> import numpy as np
    >>> from dlnotes.gradcheck import numerical_gradient, rel_error
    >>> x = np.array([1.0, -2.0, 3.0])
    >>> g = numerical_gradient(lambda z: np.sum(z ** 2), x)
    >>> rel_error(g, 2 * x) < 1e-9
    True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, check_finite, check_same_shape, check_scalar, check_shape

__all__ = ["numerical_gradient", "rel_error"]


def _as_scalar(value: object, dout: np.ndarray | None) -> float:
    """Reduce one output of ``f`` to the scalar whose gradient we want."""
    if isinstance(value, tuple):
        raise TypeError(
            "f must return an array or a scalar, got a tuple; for a forward function that returns "
            "(out, cache), pass lambda z: forward(z, ...)[0]"
        )
    out = as_float_array(value, "f(x)").astype(np.float64, copy=False)
    if dout is None:
        return float(out.sum())
    check_shape(dout, out.shape, "dout", "like f(x)")
    return float(np.sum(out * dout))


def _check_gradient_args(
    f: Callable[[np.ndarray], ArrayLike], x: ArrayLike, dout: ArrayLike | None, h: float
) -> tuple[np.ndarray, np.ndarray | None, float]:
    """Validate; return a private float64 copy of x, dout as float64 (or None) and h."""
    if not callable(f):
        raise TypeError(f"f must be callable, got {f!r} of type {type(f).__name__}")
    point = as_float_array(x, "x").astype(np.float64)  # always a copy, which we perturb in place
    check_finite(point, "x")
    upstream = None if dout is None else as_float_array(dout, "dout").astype(np.float64)
    h = check_scalar(h, "h", float, min_val=0, include_boundaries="neither")
    return point, upstream, h


def numerical_gradient(
    f: Callable[[np.ndarray], ArrayLike],
    x: ArrayLike,
    dout: ArrayLike | None = None,
    h: float = 1e-5,
) -> np.ndarray:
    """Central-difference gradient of ``sum(f(x) * dout)`` with respect to ``x``.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to an array or a scalar.
    x : array_like, any shape, finite
        The point at which to differentiate. It is copied to float64 first,
        so the caller's array is never modified (not even temporarily).
    dout : array_like, shape of ``f(x)``, optional
        Upstream gradient. Without it, the outputs of ``f`` are summed, which
        is the same as ``dout = ones_like(f(x))``; for a scalar ``f`` that is
        just the gradient of ``f``.
    h : float > 0, finite
        Step size. The error of central differences is O(h**2) plus rounding
        noise of order eps / h, so 1e-5 suits float64 computations.

    Returns
    -------
    numpy.ndarray, float64, shape of ``x``
        ``grad[i] = (g(x + h e_i) - g(x - h e_i)) / (2 h)`` with
        ``g(z) = sum(f(z) * dout)``.

    Examples
    --------
    >>> import numpy as np
    >>> numerical_gradient(np.tanh, np.zeros(2), dout=np.array([1.0, 3.0])).round(6)
    array([1., 3.])
    """
    point, upstream, h = _check_gradient_args(f, x, dout, h)
    grad = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        old = point[index]
        point[index] = old + h
        plus = _as_scalar(f(point), upstream)
        point[index] = old - h
        minus = _as_scalar(f(point), upstream)
        point[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad


def rel_error(a: ArrayLike, b: ArrayLike) -> float:
    """Normwise relative error ``max|a - b| / max(max(|a| + |b|), tiny)``.

    Both maxima run over all elements, so a single tiny entry (for example
    a gradient that is 1e-17 in one array and exactly 0 in the other) cannot
    blow up the result the way an element-wise ratio would. ``tiny`` is the
    smallest normal float64, so two all-zero arrays give 0. NaN anywhere
    gives NaN, which fails every ``<=`` check.

    Parameters
    ----------
    a, b : array_like of the same shape

    Returns
    -------
    float
        0 for identical arrays; about 1e-16 for float64 round-off; 1 or more
        when the arrays disagree completely (2 for ``a = -b``).

    Examples
    --------
    >>> rel_error([1.0, 2.0], [1.0, 2.0 + 1e-6]) < 1e-6
    True
    """
    a = as_float_array(a, "a").astype(np.float64, copy=False)
    b = as_float_array(b, "b").astype(np.float64, copy=False)
    check_same_shape(a, b, "a", "b")
    if a.size == 0:
        return 0.0
    scale = max(float(np.max(np.abs(a) + np.abs(b))), np.finfo(np.float64).tiny)
    return float(np.max(np.abs(a - b))) / scale
