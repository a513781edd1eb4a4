"""Gradient descent for the one-variable linear model z = w x + b.

The cost is ``J(w, b) = (1/2m) Σ (w x_i + b − y_i)²``. One update uses the
mean gradient over a batch of samples, so ``batch_size=1`` is per-sample
(stochastic) gradient descent, ``batch_size=m`` is full-batch gradient descent
and anything in between is mini-batch gradient descent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlnotes.checks import as_float_array, check_number, check_positive_int
from dlnotes.linear.least_squares import as_samples

__all__ = ["GradientDescentResult", "mse_cost", "mse_gradients", "gradient_descent"]

# Parameters beyond this size count as divergence; the run stops before floats overflow.
_DIVERGED = 1e100


def _paired(x: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = as_samples(x, "x"), as_samples(y, "y")
    if xs.shape[0] != ys.shape[0]:
        raise ValueError(
            f"x and y must hold the same number of samples, got {xs.shape[0]} and {ys.shape[0]}"
        )
    if xs.shape[0] == 0:
        raise ValueError("x and y must hold at least 1 sample, got 0")
    return xs, ys


def mse_cost(x: object, y: object, w: object, b: object) -> float | np.ndarray:
    """Cost ``J(w, b) = (1/2m) Σ_i (w x_i + b − y_i)²``.

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
    >>> mse_cost([0.0, 1.0], [1.0, 3.0], 2.0, 1.0)
    0.0
    >>> mse_cost([0.0, 1.0], [1.0, 3.0], [0.0, 2.0], 0.0)
    array([2.5, 0.5])
    """
    xs, ys = _paired(x, y)
    ws, bs = as_float_array(w, "w"), as_float_array(b, "b")
    ws, bs = np.broadcast_arrays(ws, bs)
    residual = ws[..., None] * xs + bs[..., None] - ys
    cost = 0.5 * np.mean(residual**2, axis=-1)
    return float(cost) if cost.ndim == 0 else cost


def mse_gradients(x: object, y: object, w: float, b: float) -> tuple[float, float]:
    """Mean gradient ``(∂J/∂w, ∂J/∂b)`` over the given samples.

    With ``dz_i = w x_i + b − y_i``: ``∂J/∂w = mean(dz_i x_i)``, ``∂J/∂b = mean(dz_i)``.

    Parameters
    ----------
    x, y : array_like, shape (m,) or (m, 1)
    w, b : float

    Examples
    --------
    >>> mse_gradients([1.0], [3.0], 0.0, 0.0)
    (-3.0, -3.0)
    """
    xs, ys = _paired(x, y)
    w, b = check_number(w, "w"), check_number(b, "b")
    dz = w * xs + b - ys
    return float(np.mean(dz * xs)), float(np.mean(dz))


def _cost_along(
    xs: np.ndarray, ys: np.ndarray, w_path: np.ndarray, b_path: np.ndarray
) -> np.ndarray:
    """J at every (w, b) of a path, in chunks so memory stays small; inf where it overflowed."""
    cost = np.empty(w_path.shape[0])
    for start in range(0, cost.shape[0], 4096):
        chunk = slice(start, start + 4096)
        residual = w_path[chunk, None] * xs + b_path[chunk, None] - ys
        cost[chunk] = 0.5 * np.mean(residual**2, axis=1)
    cost[~np.isfinite(cost)] = np.inf
    return cost


@dataclass(frozen=True)
class GradientDescentResult:
    """What :func:`gradient_descent` returns.

    Attributes
    ----------
    w, b : float
        Parameters after the last update.
    w_path, b_path, cost_path : ndarray, shape (updates + 1,) or None
        ``w``, ``b`` and ``J(w, b)`` on all samples, first at the start, then
        after every update; ``None`` when called with ``record=False``.
    epoch_cost : ndarray, shape (epochs + 1,)
        J on all samples at the start and after every completed epoch.
    epochs, updates : int
        Epochs completed and updates made.
    converged : bool
        True when a stopping criterion (``stop_cost``, ``tol`` or ``grad_tol``) ended the run.
    diverged : bool
        True when the parameters blew up (|w| or |b| > 1e100, or NaN) and the run stopped.
    """

    w: float
    b: float
    w_path: np.ndarray | None
    b_path: np.ndarray | None
    cost_path: np.ndarray | None
    epoch_cost: np.ndarray
    epochs: int
    updates: int
    converged: bool
    diverged: bool


def gradient_descent(
    x: object,
    y: object,
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
        Keep w, b and J after every update (costs one pass over the data per update).

    Returns
    -------
    GradientDescentResult

    Examples
    --------
    >>> r = gradient_descent([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], eta=0.1, epochs=2000, batch_size=3)
    >>> round(r.w, 6), round(r.b, 6), r.updates
    (2.0, 1.0, 2000)
    """
    xs, ys = _paired(x, y)
    m = xs.shape[0]
    eta = check_number(eta, "eta", positive=True)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    if batch_size > m:
        raise ValueError(f"batch_size must be <= the number of samples m = {m}, got {batch_size}")
    w, b = check_number(w0, "w0"), check_number(b0, "b0")
    if stop_cost is not None:
        stop_cost = check_number(stop_cost, "stop_cost", positive=True)
    if tol is not None:
        tol = check_number(tol, "tol", positive=True)
    if grad_tol is not None:
        grad_tol = check_number(grad_tol, "grad_tol", positive=True)
    if shuffle_seed is not None:
        check_positive_int(shuffle_seed, "shuffle_seed", minimum=0)
    rng = None if shuffle_seed is None else np.random.default_rng(shuffle_seed)

    path: list[tuple[float, float]] = [(w, b)]
    epoch_cost = [mse_cost(xs, ys, w, b)]
    converged = diverged = False
    updates = done = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            order = np.arange(m) if rng is None else rng.permutation(m)
            for start in range(0, m, batch_size):
                batch = order[start : start + batch_size]
                xb, yb = xs[batch], ys[batch]
                dz = w * xb + b - yb
                dw, db = float(np.mean(dz * xb)), float(np.mean(dz))
                w, b = w - eta * dw, b - eta * db
                updates += 1
                if record:
                    path.append((w, b))
                if not (abs(w) <= _DIVERGED and abs(b) <= _DIVERGED):  # also catches NaN
                    diverged = True
                    break
            if diverged:
                break
            done += 1
            epoch_cost.append(mse_cost(xs, ys, w, b))
            if stop_cost is not None and epoch_cost[-1] < stop_cost:
                converged = True
            if tol is not None and abs(epoch_cost[-2] - epoch_cost[-1]) < tol:
                converged = True
            if grad_tol is not None and np.hypot(*mse_gradients(xs, ys, w, b)) < grad_tol:
                converged = True
            if converged:
                break

        w_path = b_path = cost_path = None
        if record:
            w_path, b_path = (np.array(column) for column in zip(*path))
            cost_path = _cost_along(xs, ys, w_path, b_path)
    return GradientDescentResult(
        w=w,
        b=b,
        w_path=w_path,
        b_path=b_path,
        cost_path=cost_path,
        epoch_cost=np.array(epoch_cost),
        epochs=done,
        updates=updates,
        converged=converged,
        diverged=diverged,
    )
