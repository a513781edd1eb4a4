"""Softmax, log-softmax and the losses, each returning ``(loss, gradient)``.

All of them work from shifted logits or from ``exp(-|z|)``, so logits of any
size (1000, 1e300) give finite results.

The binary focal loss (Lin et al., 2017): for a logit ``z`` and a label
``y`` in {0, 1}, let ``p = sigmoid(z)``, ``p_t = p`` if ``y == 1`` else
``1 - p`` (the probability given to the true class) and ``alpha_t = alpha``
if ``y == 1`` else ``1 - alpha``. Then ``FL = -alpha_t * (1 - p_t)**gamma * log(p_t)``.
With ``gamma = 0`` and ``alpha = None`` it is the binary cross-entropy of
``torch.nn.functional.binary_cross_entropy_with_logits``. Everything is
computed from ``u = s * z`` with ``s = 2y - 1``: ``p_t = sigmoid(u)``,
``1 - p_t = sigmoid(-u)`` and ``log p_t = -log(1 + exp(-u))``, so no
probability is rounded to exactly 0 or 1 before the logarithm.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import (
    as_float_array,
    check_choice,
    check_finite,
    check_nonempty,
    check_probability,
    check_rank,
    check_same_shape,
    check_scalar,
    check_shape,
)
from dlnotes.layers.activations import _sigmoid

__all__ = ["softmax", "log_softmax", "softmax_cross_entropy", "mse_loss", "binary_focal_loss"]

Reduction = Literal["mean", "sum", "none"]


def _check_logits(x: ArrayLike, axis: int, name: str = "x") -> tuple[np.ndarray, int]:
    x = as_float_array(x, name)
    check_nonempty(x, name)
    check_finite(x, name)  # an inf logit would give inf - inf = NaN
    axis = check_scalar(axis, "axis", int, min_val=-x.ndim, max_val=x.ndim - 1)
    return x, axis


def softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """``exp(x) / sum(exp(x))`` along ``axis``, computed without overflow.

    x : array_like, any non-empty shape, finite; the result has the same shape.

    >>> import numpy as np
    >>> softmax(np.array([1000.0, 1000.0]))
    array([0.5, 0.5])
    """
    x, axis = _check_logits(x, axis)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x: ArrayLike, axis: int = -1) -> np.ndarray:
    """``log(softmax(x))`` along ``axis``, accurate also where softmax underflows to 0.

    x : array_like, any non-empty shape, finite; the result has the same shape.

    >>> import numpy as np
    >>> log_softmax(np.array([0.0, -1000.0]))
    array([    0., -1000.])
    """
    return _log_softmax(*_check_logits(x, axis))


def _log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _check_cross_entropy(logits: ArrayLike, labels: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    logits = as_float_array(logits, "logits")
    check_rank(logits, 2, "logits", "(N, K)")
    check_nonempty(logits, "logits")
    check_finite(logits, "logits")
    n, k = logits.shape
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels must be integer class indices, got dtype {labels.dtype}")
    check_shape(labels, (n,), "labels", f"(N,) like logits of shape {logits.shape}")
    bad = (labels < 0) | (labels >= k)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"labels must lie in [0, K) = [0, {k}), got {labels[first]} at index {first}"
        )
    return logits, labels


def softmax_cross_entropy(logits: ArrayLike, labels: ArrayLike) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(logits) against integer class labels.

    Same as ``torch.nn.functional.cross_entropy(logits, labels)``.

    Parameters
    ----------
    logits : array_like, shape (N, K)
        Unnormalised class scores, N >= 1.
    labels : array_like of int, shape (N,)
        Class indices in [0, K).

    Returns
    -------
    loss : float
        ``-mean(log_softmax(logits)[n, labels[n]])``.
    dlogits : numpy.ndarray, shape (N, K)
        ``(softmax(logits) - one_hot(labels)) / N``.

    Examples
    --------
    >>> import numpy as np
    >>> loss, d = softmax_cross_entropy(np.array([[1000.0, 0.0]]), np.array([1]))
    >>> loss
    1000.0
    """
    logits, labels = _check_cross_entropy(logits, labels)
    n = len(labels)
    logp = _log_softmax(logits, axis=1)
    rows = np.arange(n)
    loss = -float(logp[rows, labels].mean())
    dlogits = np.exp(logp)
    dlogits[rows, labels] -= 1
    dlogits /= n
    return loss, dlogits


def _check_mse(pred: ArrayLike, target: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    pred, target = as_float_array(pred, "pred"), as_float_array(target, "target")
    check_same_shape(pred, target, "pred", "target")
    check_nonempty(pred, "pred")
    return pred, target


def mse_loss(pred: ArrayLike, target: ArrayLike) -> tuple[float, np.ndarray]:
    """Mean squared error ``mean((pred - target)**2)``, as ``torch.nn.MSELoss()``.

    Parameters
    ----------
    pred, target : array_like, the same non-empty shape

    Returns
    -------
    loss : float
    dpred : numpy.ndarray, shape of pred
        ``2 * (pred - target) / pred.size``.

    Examples
    --------
    >>> import numpy as np
    >>> mse_loss(np.array([1.0, 3.0]), np.array([1.0, 1.0]))
    (2.0, array([0., 2.]))
    """
    pred, target = _check_mse(pred, target)
    diff = pred - target
    return float(np.mean(diff * diff)), diff * (2 / diff.size)


def _check_focal(
    logits: ArrayLike, targets: ArrayLike, gamma: float, alpha: float | None, reduction: str
) -> tuple[np.ndarray, np.ndarray, float, float | None, str]:
    z, y = as_float_array(logits, "logits"), as_float_array(targets, "targets")
    check_same_shape(z, y, "logits", "targets")
    check_nonempty(z, "logits")
    check_finite(z, "logits")
    not_binary = (y != 0) & (y != 1)
    if not_binary.any():
        raise ValueError(f"targets must hold only 0 and 1, got {float(y[not_binary][0])!r}")
    gamma = check_scalar(gamma, "gamma", float, min_val=0)
    alpha = None if alpha is None else check_probability(alpha, "alpha", allow_one=True)
    return z, y, gamma, alpha, check_choice(reduction, "reduction", ("mean", "sum", "none"))


def binary_focal_loss(
    logits: ArrayLike,
    targets: ArrayLike,
    gamma: float = 2.0,
    alpha: float | None = 0.25,
    reduction: Reduction = "mean",
) -> tuple[np.ndarray | float, np.ndarray]:
    """Focal loss for independent binary decisions, and its gradient with respect to the logits.

    Parameters
    ----------
    logits : array_like, any non-empty shape, e.g. (N,) or (N, C)
        Raw scores ``z``; the model's probability is ``sigmoid(z)``.
    targets : array_like, shape of ``logits``
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
    z, y, gamma, alpha, reduction = _check_focal(logits, targets, gamma, alpha, reduction)
    sign = 2 * y - 1
    u = sign * z
    p_t, q_t = _sigmoid(u), _sigmoid(-u)  # q_t = 1 - p_t, computed without cancellation
    log_p_t = -np.logaddexp(0.0, -u)
    weight = np.ones_like(z) if alpha is None else np.where(y == 1, alpha, 1 - alpha)
    modulating = q_t**gamma  # 0**0 == 1, so gamma = 0 is plain cross-entropy
    loss = -weight * modulating * log_p_t
    # d/du of -(1 - p_t)**gamma * log p_t, using d p_t/du = p_t * q_t and d log p_t/du = q_t
    grad = sign * weight * modulating * (gamma * p_t * log_p_t - q_t)
    if reduction == "none":
        return loss, grad
    if reduction == "sum":
        return float(loss.sum()), grad
    return float(loss.mean()), grad / z.size
