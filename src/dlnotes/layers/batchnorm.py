"""Batch normalisation for (N, D) and (N, C, H, W) inputs, matching PyTorch.

Statistics are taken per feature D of an (N, D) input (``nn.BatchNorm1d``)
or per channel C of an (N, C, H, W) input over N, H and W
(``nn.BatchNorm2d``). In training the batch mean and the biased batch
variance normalise ``x``; the running statistics are updated with the
unbiased variance::

    running_mean = (1 - momentum) * running_mean + momentum * mean
    running_var  = (1 - momentum) * running_var  + momentum * var * m / (m - 1)

where m is the number of values per feature (N, or N*H*W). In evaluation
mode the running statistics normalise ``x`` instead.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlnotes.checks import as_float_array, check_probability, check_rank, check_shape
from dlnotes.layers._common import check_cache, check_dout

__all__ = ["BatchNormCache", "batchnorm_forward", "batchnorm_backward"]


class BatchNormCache(NamedTuple):
    """``xhat`` is the normalised input; ``inv_std`` is 1/sqrt(var + eps) per feature."""

    xhat: np.ndarray
    gamma: np.ndarray
    inv_std: np.ndarray
    train: bool


def _axes_and_shape(x: np.ndarray) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Reduction axes and the shape that broadcasts a per-feature vector against ``x``."""
    if x.ndim == 2:
        return (0,), (1, x.shape[1])
    return (0, 2, 3), (1, x.shape[1], 1, 1)


def _per_feature(value: object, name: str, c: int) -> np.ndarray:
    arr = as_float_array(value, name)
    check_shape(arr, (c,), name)
    return arr


def batchnorm_forward(
    x: object,
    gamma: object,
    beta: object,
    running_mean: object,
    running_var: object,
    *,
    train: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> tuple[np.ndarray, BatchNormCache, np.ndarray, np.ndarray]:
    """Normalise each feature, then scale by ``gamma`` and shift by ``beta``.

    Parameters
    ----------
    x : array_like, shape (N, D) or (N, C, H, W)
    gamma, beta : array_like, shape (D,) or (C,)
    running_mean, running_var : array_like, shape (D,) or (C,)
        Never modified; the updated values are returned.
    train : bool
        Batch statistics (True) or running statistics (False).
    momentum : float in [0, 1]
        Weight of the new batch in the running statistics, as in torch.
    eps : float > 0
        Added to the variance before the square root.

    Returns
    -------
    out : numpy.ndarray, shape of x
    cache : BatchNormCache
    running_mean, running_var : numpy.ndarray, shape (D,) or (C,)
        New arrays: updated in training, copies of the inputs in evaluation.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1.0], [3.0]])
    >>> out, _, rm, rv = batchnorm_forward(x, np.ones(1), np.zeros(1), np.zeros(1), np.ones(1), eps=1e-12)
    >>> out.ravel(), rm, rv      # batch mean 2, biased var 1, unbiased var 2
    (array([-1.,  1.]), array([0.2]), array([1.1]))
    """
    x = as_float_array(x, "x")
    check_rank(x, (2, 4), "x", "(N, D) or (N, C, H, W)")
    c = x.shape[1]
    gamma, beta = _per_feature(gamma, "gamma", c), _per_feature(beta, "beta", c)
    running_mean = _per_feature(running_mean, "running_mean", c)
    running_var = _per_feature(running_var, "running_var", c)
    momentum = check_probability(momentum, "momentum", allow_one=True)
    if isinstance(eps, bool) or not isinstance(eps, (int, float, np.floating)) or not eps > 0:
        raise ValueError(f"eps must be a positive number, got {eps!r}")
    axes, bshape = _axes_and_shape(x)
    m = x.size // c if c else 0
    if train:
        if m < 2:
            raise ValueError(f"batchnorm in training needs more than 1 value per feature, got x of shape {x.shape}")
        mean = x.mean(axis=axes)
        xc = x - mean.reshape(bshape)
        var = np.mean(xc * xc, axis=axes)  # biased, used to normalise
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var * (m / (m - 1))
    else:
        var = running_var
        xc = x - running_mean.reshape(bshape)
        new_mean, new_var = running_mean.copy(), running_var.copy()
    inv_std = 1 / np.sqrt(var + eps)
    xhat = xc * inv_std.reshape(bshape)
    out = xhat * gamma.reshape(bshape) + beta.reshape(bshape)
    return out, BatchNormCache(xhat, gamma, inv_std, bool(train)), new_mean, new_var


def batchnorm_backward(dout: object, cache: BatchNormCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``batchnorm_forward`` in training or evaluation mode.

    Parameters
    ----------
    dout : array_like, shape of x
    cache : BatchNormCache
        From ``batchnorm_forward``.

    Returns
    -------
    dx : shape of x
    dgamma, dbeta : shape (D,) or (C,)

    Notes
    -----
    In training the batch statistics depend on ``x``, which gives
    ``dx = gamma * inv_std / m * (m * dout - sum(dout) - xhat * sum(dout * xhat))``
    with sums per feature. In evaluation mode the statistics are constants
    and ``dx = dout * gamma * inv_std``.
    """
    check_cache(cache, BatchNormCache, "batchnorm_forward")
    xhat, gamma, inv_std, train = cache
    dout = check_dout(dout, xhat.shape)
    axes, bshape = _axes_and_shape(xhat)
    dbeta = dout.sum(axis=axes)
    dgamma = np.sum(dout * xhat, axis=axes)
    scale = (gamma * inv_std).reshape(bshape)
    if not train:
        return dout * scale, dgamma, dbeta
    m = xhat.size // xhat.shape[1]
    dx = (scale / m) * (m * dout - dbeta.reshape(bshape) - xhat * dgamma.reshape(bshape))
    return dx, dgamma, dbeta
