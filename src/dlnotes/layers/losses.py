"""Softmax, log-softmax and the two standard losses, with their gradients.

All of them subtract the maximum before exponentiating, so logits of any
size (1000, 1e300) give finite results.
"""

from __future__ import annotations

import numpy as np

from dlnotes.checks import as_float_array, check_rank

__all__ = ["softmax", "log_softmax", "softmax_cross_entropy", "mse_loss"]


def softmax(x: object, axis: int = -1) -> np.ndarray:
    """``exp(x) / sum(exp(x))`` along ``axis``, computed without overflow.

    >>> import numpy as np
    >>> softmax(np.array([1000.0, 1000.0]))
    array([0.5, 0.5])
    """
    x = as_float_array(x, "x")
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x: object, axis: int = -1) -> np.ndarray:
    """``log(softmax(x))`` along ``axis``, accurate also where softmax underflows to 0.

    >>> import numpy as np
    >>> log_softmax(np.array([0.0, -1000.0]))
    array([    0., -1000.])
    """
    x = as_float_array(x, "x")
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax_cross_entropy(logits: object, labels: object) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(logits) against integer class labels.

    Same as ``torch.nn.functional.cross_entropy(logits, labels)``.

    Parameters
    ----------
    logits : array_like, shape (N, K)
        Unnormalised class scores.
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
    logits = as_float_array(logits, "logits")
    check_rank(logits, 2, "logits", "(N, K)")
    n, k = logits.shape
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels must be integer class indices, got dtype {labels.dtype}")
    if labels.shape != (n,):
        raise ValueError(
            f"labels must have shape (N,) = ({n},) like logits {logits.shape}, got {labels.shape}"
        )
    if n == 0:
        raise ValueError("logits must hold at least one example, got N = 0")
    bad = (labels < 0) | (labels >= k)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"labels must lie in [0, K) = [0, {k}), got {labels[first]} at index {first}"
        )
    logp = log_softmax(logits)
    rows = np.arange(n)
    loss = -float(logp[rows, labels].mean())
    dlogits = np.exp(logp)
    dlogits[rows, labels] -= 1
    dlogits /= n
    return loss, dlogits


def mse_loss(pred: object, target: object) -> tuple[float, np.ndarray]:
    """Mean squared error ``mean((pred - target)**2)``, as ``torch.nn.MSELoss()``.

    Parameters
    ----------
    pred, target : array_like of the same shape

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
    pred = as_float_array(pred, "pred")
    target = as_float_array(target, "target")
    if pred.shape != target.shape:
        raise ValueError(f"target must have the shape of pred {pred.shape}, got {target.shape}")
    if pred.size == 0:
        raise ValueError(f"pred must not be empty, got shape {pred.shape}")
    diff = pred - target
    return float(np.mean(diff * diff)), diff * (2 / diff.size)
