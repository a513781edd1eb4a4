"""Regression metrics, and the naming rule for squared errors across dlnotes.

Squared error appears with and without a factor ½; the name says which:

* ``mse`` / ``mean_squared_error`` / ``mse_loss``: ``mean((ŷ − y)²)``, **no** ½, as
  ``sklearn.metrics.mean_squared_error`` and ``torch.nn.MSELoss`` (here, and
  ``dlnotes.generalization.mse``, ``dlnotes.layers.mse_loss``);
* ``half_mse``: ``½ · mean((ŷ − y)²)``, the lecture notes' cost J(w, b), whose ½
  cancels the 2 of the derivative (``dlnotes.linear.half_mse_cost`` and
  ``half_mse_gradients``, and ``NeuralNet.loss``; ``dlnotes.linear.mse_cost`` and
  ``mse_gradients`` are older names of the same ½ functions).

Minimising either gives the same parameters; gradient steps with the ½ version
and learning rate η equal steps without ½ and learning rate η/2.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import as_samples, check_nonempty, check_same_shape

__all__ = ["mean_squared_error"]


def _check_pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The one validation step of this module: two finite (m,) vectors of the same length m ≥ 1."""
    a, p = as_samples(y_true, "y_true"), as_samples(y_pred, "y_pred")
    check_same_shape(a, p, "y_true", "y_pred")
    check_nonempty(a, "y_true")
    return a, p


def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Mean squared error ``(1/m) Σ (ŷ_i − y_i)²`` (no factor ½), as in scikit-learn.

    Parameters
    ----------
    y_true, y_pred : array_like, shape (m,) or (m, 1)

    Returns
    -------
    float

    Examples
    --------
    >>> mean_squared_error([1.0, 2.0], [1.0, 4.0])
    2.0
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    return float(np.mean((y_pred - y_true) ** 2))
