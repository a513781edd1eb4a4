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
from numpy.typing import ArrayLike

from dlnotes.checks import (
    as_float_array,
    check_flag,
    check_nonempty,
    check_rank,
    check_scalar,
    check_shape,
)
from dlnotes.layers._common import check_cache, check_dout, private

__all__ = ["BatchNormCache", "batchnorm_forward", "batchnorm_backward"]


class BatchNormCache(NamedTuple):
    """``xhat`` is the normalised input; ``inv_std`` is 1/sqrt(var + eps) per feature.

    All arrays belong to the cache (``gamma`` is a copy when it was the
    caller's array), so updating gamma in place before the backward pass
    cannot change the gradients.
    """

    xhat: np.ndarray
    gamma: np.ndarray
    inv_std: np.ndarray
    train: bool


def _flat(x: np.ndarray) -> tuple[np.ndarray, str, tuple[int, ...]]:
    """View (N, C, H, W) as (N, C, H*W); return it, its einsum letters, a per-feature shape."""
    if x.ndim == 2:
        return x, "nc", (x.shape[1],)
    return x.reshape(x.shape[0], x.shape[1], -1), "ncp", (x.shape[1], 1)


def _feature_sum(letters: str, *arrays: np.ndarray) -> np.ndarray:
    """Per-feature sum of the product of ``arrays`` in one pass (einsum: ~3x faster than .sum)."""
    return np.einsum(",".join([letters] * len(arrays)) + "->c", *arrays)


def _per_feature(value: ArrayLike, name: str, x: np.ndarray) -> np.ndarray:
    arr = as_float_array(value, name)
    check_shape(arr, (x.shape[1],), name, "(one value per feature of x)")
    return arr.astype(x.dtype, copy=False)  # x decides the dtype: float32 stays float32


def _check_batchnorm(
    x: ArrayLike,
    params: tuple[ArrayLike, ArrayLike, ArrayLike, ArrayLike],
    train: bool,
    momentum: float,
    eps: float,
) -> tuple[np.ndarray, tuple[np.ndarray, ...], bool, float, float]:
    """Validate; return x, (gamma (private), beta, mean, var), train, momentum and eps."""
    x = as_float_array(x, "x")
    check_rank(x, (2, 4), "x", "(N, D) or (N, C, H, W)")
    check_nonempty(x, "x")
    names = ("gamma", "beta", "running_mean", "running_var")
    gamma, beta, mean, var = (_per_feature(p, name, x) for p, name in zip(params, names))
    train = check_flag(train, "train")
    momentum = check_scalar(momentum, "momentum", float, min_val=0, max_val=1)
    eps = check_scalar(eps, "eps", float, min_val=0, include_boundaries="neither")
    if train and x.size // x.shape[1] < 2:
        raise ValueError(
            f"batchnorm in training needs more than 1 value per feature, got x of shape {x.shape}"
        )
    return x, (private(gamma, params[0]), beta, mean, var), train, momentum, eps


def batchnorm_forward(
    x: ArrayLike,
    gamma: ArrayLike,
    beta: ArrayLike,
    running_mean: ArrayLike,
    running_var: ArrayLike,
    *,
    train: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> tuple[np.ndarray, BatchNormCache, np.ndarray, np.ndarray]:
    """Normalise each feature, then scale by ``gamma`` and shift by ``beta``.

    Parameters
    ----------
    x : array_like, shape (N, D) or (N, C, H, W), not empty
    gamma, beta : array_like, shape (D,) or (C,)
    running_mean, running_var : array_like, shape (D,) or (C,)
        Never modified; the updated values are returned. These and gamma,
        beta are cast to the dtype of x, so float32 stays float32.
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
    >>> x, ones, zeros = np.array([[1.0], [3.0]]), np.ones(1), np.zeros(1)
    >>> out, _, rm, rv = batchnorm_forward(x, ones, zeros, zeros, ones, eps=1e-12)
    >>> out.ravel(), rm, rv      # batch mean 2, biased var 1, unbiased var 2
    (array([-1.,  1.]), array([0.2]), array([1.1]))
    """
    x, params, train, momentum, eps = _check_batchnorm(
        x, (gamma, beta, running_mean, running_var), train, momentum, eps
    )
    gamma, beta, running_mean, running_var = params
    m = x.size // x.shape[1]  # values per feature
    xf, letters, vshape = _flat(x)
    if train:
        mean = _feature_sum(letters, xf) / m
        xc = xf - mean.reshape(vshape)
        var = _feature_sum(letters, xc, xc) / m  # biased, used to normalise
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var * (m / (m - 1))
    else:
        var = running_var
        xc = xf - running_mean.reshape(vshape)
        new_mean, new_var = running_mean.copy(), running_var.copy()
    inv_std = 1 / np.sqrt(var + eps)
    xhat = xc  # our own temporary, so normalising in place is safe
    xhat *= inv_std.reshape(vshape)
    out = xhat * gamma.reshape(vshape)
    out += beta.reshape(vshape)
    cache = BatchNormCache(xhat.reshape(x.shape), gamma, inv_std, train)
    return out.reshape(x.shape), cache, new_mean, new_var


def batchnorm_backward(
    dout: ArrayLike, cache: BatchNormCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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

    Examples
    --------
    >>> import numpy as np
    >>> x, ones, zeros = np.array([[1.0], [3.0]]), np.ones(1), np.zeros(1)
    >>> out, cache, _, _ = batchnorm_forward(x, ones, zeros, zeros, ones)
    >>> dx, dgamma, dbeta = batchnorm_backward(np.ones((2, 1)), cache)
    >>> dx.ravel(), dbeta      # a constant dout shifts every xhat equally: no gradient reaches x
    (array([0., 0.]), array([2.]))
    """
    check_cache(cache, BatchNormCache, "batchnorm_forward")
    xhat, gamma, inv_std, train = cache
    dout = check_dout(dout, xhat.shape)
    xhat, letters, vshape = _flat(xhat)
    dout_f = _flat(dout)[0]
    dbeta = _feature_sum(letters, dout_f)
    dgamma = _feature_sum(letters, dout_f, xhat)
    scale = (gamma * inv_std).reshape(vshape)
    if not train:
        return (dout_f * scale).reshape(dout.shape), dgamma, dbeta
    m = xhat.size // xhat.shape[1]
    # dx = scale * (dout - dbeta / m - xhat * dgamma / m), in four passes over one new array
    dx = xhat * (-dgamma / m).reshape(vshape)
    dx += dout_f
    dx -= (dbeta / m).reshape(vshape)
    dx *= scale
    return dx.reshape(dout.shape), dgamma, dbeta
