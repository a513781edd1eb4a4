"""Binary focal loss (Lin et al., 2017) on logits, with its gradient.

For a logit ``z`` and a label ``y`` in {0, 1}, let ``p = sigmoid(z)`` and

* ``p_t = p`` if ``y == 1`` else ``1 - p``  (the probability given to the true class),
* ``alpha_t = alpha`` if ``y == 1`` else ``1 - alpha``.

The focal loss is ``FL = -alpha_t * (1 - p_t)**gamma * log(p_t)``. With
``gamma = 0`` and ``alpha = None`` it is the binary cross-entropy, which is
what ``torch.nn.functional.binary_cross_entropy_with_logits`` computes.

Everything is computed from ``u = s * z`` with ``s = 2y - 1``: ``p_t = sigmoid(u)``,
``1 - p_t = sigmoid(-u)`` and ``log p_t = -log(1 + exp(-u))``, so no
probability is ever rounded to exactly 0 or 1 before the logarithm.
"""

from __future__ import annotations

import numpy as np

from dlnotes.checks import as_float_array, check_finite, check_probability

__all__ = ["binary_focal_loss"]

_REDUCTIONS = ("mean", "sum", "none")


def _sigmoid(u: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(u))  # in (0, 1]: never overflows
    return np.where(u >= 0, 1 / (1 + e), e / (1 + e))


def binary_focal_loss(
    logits: object,
    targets: object,
    gamma: float = 2.0,
    alpha: float | None = 0.25,
    reduction: str = "mean",
) -> tuple[np.ndarray | float, np.ndarray]:
    """Focal loss for independent binary decisions, and its gradient with respect to the logits.

    Parameters
    ----------
    logits : array_like, any shape (N,) or (N, C) ...
        Raw scores ``z``; the model's probability is ``sigmoid(z)``.
    targets : array_like, same shape as ``logits``
        Labels, each exactly 0 or 1.
    gamma : float >= 0
        Focusing parameter; 0 gives the (alpha-weighted) cross-entropy.
    alpha : float in [0, 1] or None
        Weight of the positive class (negatives get ``1 - alpha``); ``None`` weights all by 1.
        The paper's default is 0.25 with ``gamma = 2``.
    reduction : {"mean", "sum", "none"}
        How the per-element losses are combined. (RetinaNet divides the sum by the number of
        positive anchors instead: use ``"sum"`` and divide.)

    Returns
    -------
    loss : float, or numpy.ndarray of the shape of ``logits`` when ``reduction="none"``
    dlogits : numpy.ndarray, shape of ``logits``
        Gradient of the reduced loss (for "none": of the sum of the losses).

    Examples
    --------
    >>> import numpy as np
    >>> z, y = np.array([3.0, -3.0, 0.0]), np.array([1.0, 1.0, 0.0])
    >>> loss, _ = binary_focal_loss(z, y, gamma=0.0, alpha=None, reduction="none")
    >>> bool(np.allclose(loss, np.log1p(np.exp(np.array([-3.0, 3.0, 0.0])))))   # plain BCE
    True
    >>> easy, hard = binary_focal_loss(z[:2], y[:2], gamma=2.0, alpha=None, reduction="none")[0]
    >>> bool(easy / hard < 0.003)          # the easy example is down-weighted far more
    True
    """
    z = as_float_array(logits, "logits")
    y = as_float_array(targets, "targets")
    if y.shape != z.shape:
        raise ValueError(f"targets must have the shape of logits, {z.shape}, got {y.shape}")
    if z.size == 0:
        raise ValueError(f"logits must hold at least one element, got shape {z.shape}")
    check_finite(z, "logits")
    if not np.all((y == 0) | (y == 1)):
        bad = float(y[(y != 0) & (y != 1)][0])
        raise ValueError(f"targets must hold only 0 and 1, got {bad!r}")
    if isinstance(gamma, bool) or not isinstance(gamma, (int, float, np.integer, np.floating)):
        raise TypeError(f"gamma must be a number, got {gamma!r} of type {type(gamma).__name__}")
    if not (gamma >= 0 and np.isfinite(gamma)):
        raise ValueError(f"gamma must be a finite number >= 0, got {gamma}")
    if alpha is not None:
        alpha = check_probability(alpha, "alpha", allow_one=True)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")

    sign = 2 * y - 1
    u = sign * z
    p_t = _sigmoid(u)
    q_t = _sigmoid(-u)  # 1 - p_t, computed without cancellation
    log_p_t = -np.logaddexp(0.0, -u)
    weight = np.ones_like(z) if alpha is None else np.where(y == 1, alpha, 1 - alpha)
    modulating = q_t**gamma  # 0**0 == 1, so gamma = 0 is plain cross-entropy
    loss = -weight * modulating * log_p_t
    # d/du of -(1 - p_t)**gamma * log p_t, using d p_t/du = p_t * q_t and d log p_t/du = q_t
    dloss_du = weight * modulating * (gamma * p_t * log_p_t - q_t)
    grad = sign * dloss_du
    if reduction == "none":
        return loss, grad
    if reduction == "sum":
        return float(loss.sum()), grad
    return float(loss.mean()), grad / max(z.size, 1)
