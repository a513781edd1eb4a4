"""The record of a gradient-descent run: ``GradientDescentResult`` and the cost along its path.

:func:`dlnotes.linear.gradient_descent` keeps only ``w`` and ``b`` after every
update (16 bytes per update); the cost ``J(w, b)`` at every recorded point is
computed afterwards from a closed form, in O(1) per point, not by a pass over
the data per update.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["GradientDescentResult"]


def _cost_along(
    xs: np.ndarray, ys: np.ndarray, w_path: np.ndarray, b_path: np.ndarray
) -> np.ndarray:
    """J at every (w, b) of a path in O(1) per point; inf where it overflowed.

    J is a quadratic in (w, b). Expanded around a least-squares point (w₀, b₀)
    with residuals r₀ and centred inputs xc = x − x̄, and with dw = w − w₀,
    c = dw x̄ + (b − b₀), it is exactly
    ``J = ½ mean(r₀²) + dw mean(r₀ xc) + c mean(r₀) + ½ dw² mean(xc²) + dw c mean(xc) + ½ c²``,
    so the path costs a few numbers per step instead of a pass over the data.
    """
    x_mean = xs.mean()
    xc = xs - x_mean
    spread = np.mean(xc * xc)
    w0 = np.mean(xc * (ys - ys.mean())) / spread if spread > 0 else 0.0
    b0 = ys.mean() - w0 * x_mean
    r0 = w0 * xs + b0 - ys
    with np.errstate(over="ignore", invalid="ignore"):
        dw = w_path - w0
        c = dw * x_mean + (b_path - b0)
        cost = (
            0.5 * np.mean(r0 * r0)
            + dw * np.mean(r0 * xc)
            + c * np.mean(r0)
            + 0.5 * dw * dw * spread
            + dw * c * np.mean(xc)
            + 0.5 * c * c
        )
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
        Recording costs 16 bytes per update and no pass over the data.
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
