"""Gradient descent for the one-variable linear model z = w x + b.

The cost is ``J(w, b) = (1/2m) Σ (w x_i + b − y_i)²``, half the mean squared
error: the ½ cancels the 2 of the derivative. Hence the names
:func:`half_mse_cost` and :func:`half_mse_gradients` (see
:mod:`dlnotes.metrics.regression` for the naming rule); ``mse_cost`` and
``mse_gradients`` are older names of the same functions.

One update uses the mean gradient over a batch of samples, so
``batch_size=1`` is per-sample (stochastic) gradient descent,
``batch_size=m`` is full-batch gradient descent and anything in between is
mini-batch gradient descent.

What a run returns, :class:`GradientDescentResult`, and the closed form that
gives the cost along its recorded path live in :mod:`dlnotes.linear.descent_result`.
"""

from __future__ import annotations

from array import array

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import (
    as_float_array,
    as_samples,
    check_flag,
    check_number,
    check_positive_int,
    check_seed,
)
from dlnotes.linear.descent_result import GradientDescentResult, _cost_along

__all__ = [
    "GradientDescentResult",
    "half_mse_cost",
    "half_mse_gradients",
    "mse_cost",
    "mse_gradients",
    "gradient_descent",
]

# Parameters beyond this size count as divergence; the run stops before floats overflow.
_DIVERGED = 1e100


def _check_samples(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The one validation step for data: paired (m,) samples, m ≥ 1."""
    xs, ys = as_samples(x, "x"), as_samples(y, "y")
    if xs.shape[0] != ys.shape[0]:
        raise ValueError(
            f"x and y must hold the same number of samples, got {xs.shape[0]} and {ys.shape[0]}"
        )
    if xs.shape[0] == 0:
        raise ValueError("x and y must hold at least 1 sample, got 0")
    return xs, ys


def half_mse_cost(x: ArrayLike, y: ArrayLike, w: ArrayLike, b: ArrayLike) -> float | np.ndarray:
    """Cost ``J(w, b) = (1/2m) Σ_i (w x_i + b − y_i)²``: half the mean squared error.

    Parameters
    ----------
    x, y : array_like, shape (m,) or (m, 1)
    w, b : float or array_like
        Scalars, or arrays that broadcast together (for example a grid from
        ``numpy.meshgrid``) to evaluate J at many points at once.

    Returns
    -------
    float, or ndarray of the broadcast shape of ``w`` and ``b``

    Examples
    --------
    >>> half_mse_cost([0.0, 1.0], [1.0, 3.0], 2.0, 1.0)
    0.0
    >>> half_mse_cost([0.0, 1.0], [1.0, 3.0], [0.0, 2.0], 0.0)
    array([2.5, 0.5])
    """
    xs, ys = _check_samples(x, y)
    ws, bs = np.broadcast_arrays(as_float_array(w, "w"), as_float_array(b, "b"))
    residual = ws[..., None] * xs + bs[..., None] - ys
    cost = 0.5 * np.mean(residual**2, axis=-1)
    return float(cost) if cost.ndim == 0 else cost


def half_mse_gradients(x: ArrayLike, y: ArrayLike, w: float, b: float) -> tuple[float, float]:
    """Mean gradient ``(∂J/∂w, ∂J/∂b)`` of ``J = (1/2m) Σ (w x_i + b − y_i)²``.

    With ``dz_i = w x_i + b − y_i``: ``∂J/∂w = mean(dz_i x_i)``, ``∂J/∂b = mean(dz_i)``
    (the ½ of J cancels the 2 of the derivative).

    Parameters
    ----------
    x, y : array_like, shape (m,) or (m, 1)
    w, b : float

    Examples
    --------
    >>> half_mse_gradients([1.0], [3.0], 0.0, 0.0)
    (-3.0, -3.0)
    """
    xs, ys = _check_samples(x, y)
    w, b = check_number(w, "w"), check_number(b, "b")
    dz = w * xs + b - ys
    return float(np.mean(dz * xs)), float(np.mean(dz))


mse_cost = half_mse_cost
"""Same function as :func:`half_mse_cost` (the older name; J carries the factor ½)."""
mse_gradients = half_mse_gradients
"""Same function as :func:`half_mse_gradients` (the older name; J carries the factor ½)."""


def _check_descent(
    x: ArrayLike,
    y: ArrayLike,
    eta: float,
    epochs: int,
    batch_size: int,
    w0: float,
    b0: float,
    shuffle_seed: int | None,
    stop_cost: float | None,
    tol: float | None,
    grad_tol: float | None,
    record: bool,
) -> tuple[
    np.ndarray, np.ndarray, float, int, int, float, float, np.random.Generator | None, dict, bool
]:
    """The one validation step of :func:`gradient_descent`; returns the cleaned arguments."""
    xs, ys = _check_samples(x, y)
    eta = check_number(eta, "eta", positive=True)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    if batch_size > xs.shape[0]:
        raise ValueError(
            f"batch_size must be <= the number of samples m = {xs.shape[0]}, got {batch_size}"
        )
    limits = {
        name: None if value is None else check_number(value, name, positive=True)
        for name, value in (("stop_cost", stop_cost), ("tol", tol), ("grad_tol", grad_tol))
    }
    rng = (
        None
        if shuffle_seed is None
        else np.random.default_rng(check_seed(shuffle_seed, "shuffle_seed"))
    )
    w0, b0 = check_number(w0, "w0"), check_number(b0, "b0")
    return xs, ys, eta, epochs, batch_size, w0, b0, rng, limits, check_flag(record, "record")


def gradient_descent(
    x: ArrayLike,
    y: ArrayLike,
    eta: float,
    epochs: int = 1,
    batch_size: int = 1,
    w0: float = 0.0,
    b0: float = 0.0,
    shuffle_seed: int | None = None,
    stop_cost: float | None = None,
    tol: float | None = None,
    grad_tol: float | None = None,
    record: bool = True,
) -> GradientDescentResult:
    """Minimise ``J(w, b) = (1/2m) Σ (w x_i + b − y_i)²`` by (mini-batch) gradient descent.

    Each epoch cuts the samples into consecutive batches of ``batch_size``
    (the last one may be smaller) and, for each batch, steps
    ``w ← w − η mean(dz x)``, ``b ← b − η mean(dz)`` with ``dz = w x + b − y``.
    Samples are used **in the given order**; they are shuffled (a fresh
    permutation every epoch) only when ``shuffle_seed`` is given.

    Parameters
    ----------
    x, y : array_like, shape (m,) or (m, 1)
    eta : float
        Learning rate η > 0.
    epochs : int
        Maximum number of passes over the data, ≥ 1.
    batch_size : int
        1 ≤ batch_size ≤ m. 1: per-sample; m: full batch.
    w0, b0 : float
        Starting point.
    shuffle_seed : int, optional
        Seed of ``numpy.random.default_rng`` for shuffling; ``None`` keeps the order.
    stop_cost : float, optional
        Stop after the first epoch that ends with J < stop_cost.
    tol : float, optional
        Stop after the first epoch whose J differs from the previous epoch's by less than tol.
    grad_tol : float, optional
        Stop after the first epoch that ends with ``‖∇J‖ < grad_tol`` (gradient on all samples).
    record : bool
        Keep w, b and J after every update (16 bytes per update; J is computed
        afterwards from a closed form, not by a pass over the data per update).

    Returns
    -------
    GradientDescentResult

    Examples
    --------
    >>> r = gradient_descent([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], eta=0.1, epochs=2000, batch_size=3)
    >>> round(r.w, 6), round(r.b, 6), r.updates
    (2.0, 1.0, 2000)
    """
    xs, ys, eta, epochs, batch_size, w, b, rng, limits, record = _check_descent(
        x, y, eta, epochs, batch_size, w0, b0, shuffle_seed, stop_cost, tol, grad_tol, record
    )
    m = xs.shape[0]
    w_path, b_path = array("d", [w]), array("d", [b])
    epoch_cost = [half_mse_cost(xs, ys, w, b)]
    converged = diverged = False
    updates = done = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            order = np.arange(m) if rng is None else rng.permutation(m)
            for start in range(0, m, batch_size):
                batch = order[start : start + batch_size]
                xb, yb = xs[batch], ys[batch]
                dz = w * xb + b - yb
                w, b = w - eta * float(np.mean(dz * xb)), b - eta * float(np.mean(dz))
                updates += 1
                if record:
                    w_path.append(w)
                    b_path.append(b)
                if not (abs(w) <= _DIVERGED and abs(b) <= _DIVERGED):  # also catches NaN
                    diverged = True
                    break
            if diverged:
                break
            done += 1
            epoch_cost.append(half_mse_cost(xs, ys, w, b))
            converged = _stopped(xs, ys, w, b, epoch_cost, **limits)
            if converged:
                break
    paths = (np.frombuffer(w_path), np.frombuffer(b_path)) if record else (None, None)
    return GradientDescentResult(
        w=w,
        b=b,
        w_path=paths[0],
        b_path=paths[1],
        cost_path=None if paths[0] is None else _cost_along(xs, ys, *paths),
        epoch_cost=np.array(epoch_cost),
        epochs=done,
        updates=updates,
        converged=converged,
        diverged=diverged,
    )


def _stopped(
    xs: np.ndarray,
    ys: np.ndarray,
    w: float,
    b: float,
    epoch_cost: list[float],
    stop_cost: float | None,
    tol: float | None,
    grad_tol: float | None,
) -> bool:
    """Whether a stopping criterion holds at the end of an epoch."""
    if stop_cost is not None and epoch_cost[-1] < stop_cost:
        return True
    if tol is not None and abs(epoch_cost[-2] - epoch_cost[-1]) < tol:
        return True
    return grad_tol is not None and bool(np.hypot(*half_mse_gradients(xs, ys, w, b)) < grad_tol)
