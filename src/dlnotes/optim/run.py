"""Run an optimiser on a function of one vector and record the path it takes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import check_positive_int
from dlnotes.optim._base import Optimizer

__all__ = ["run_optimizer"]


def run_optimizer(
    optimizer: Optimizer, grad_fn: Callable[[np.ndarray], ArrayLike], steps: int
) -> np.ndarray:
    """Run ``steps`` updates on the optimiser's single parameter and record the path.

    Parameters
    ----------
    optimizer : Optimizer
        Built with exactly one parameter array ``x`` of shape (D,).
    grad_fn : callable
        ``grad_fn(x)`` returns the gradient, shape (D,).
    steps : int >= 1

    Returns
    -------
    path : numpy.ndarray, shape (steps + 1, D)
        ``path[0]`` is the start, ``path[k]`` the point after k steps.

    Examples
    --------
    >>> import numpy as np
    >>> from dlnotes.optim import SGD
    >>> x = np.array([4.0, 0.0])
    >>> run_optimizer(SGD([x], lr=0.25), lambda z: 2 * z, steps=2)[:, 0]
    array([4., 2., 1.])
    """
    x, steps = _check_run(optimizer, steps)
    path = np.empty((steps + 1, x.size), dtype=x.dtype)
    path[0] = x
    for k in range(1, steps + 1):
        optimizer.step([grad_fn(x.copy())])
        path[k] = x
    return path


def _check_run(optimizer: Optimizer, steps: int) -> tuple[np.ndarray, int]:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be a dlnotes.optim optimiser, got {type(optimizer).__name__}"
        )
    if len(optimizer.params) != 1 or optimizer.params[0].ndim != 1:
        shapes = [p.shape for p in optimizer.params]
        raise ValueError(
            f"run_optimizer needs one parameter of shape (D,), got parameters of shapes {shapes}"
        )
    return optimizer.params[0], check_positive_int(steps, "steps")
