"""The fully connected (affine) layer ``out = x @ w + b``.

Unlike ``torch.nn.Linear``, whose weight is stored as (D_out, D_in), the
weight here is (D_in, D_out) as in the lecture notes, so ``F.linear(x, w.T, b)``
is the PyTorch equivalent.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlnotes.checks import as_float_array, check_rank, check_shape
from dlnotes.layers._common import check_cache, check_dout

__all__ = ["LinearCache", "linear_forward", "linear_backward"]


class LinearCache(NamedTuple):
    """What ``linear_backward`` needs: the input and the weight."""

    x: np.ndarray
    w: np.ndarray


def linear_forward(x: object, w: object, b: object) -> tuple[np.ndarray, LinearCache]:
    """Affine layer ``out = x @ w + b``.

    Parameters
    ----------
    x : array_like, shape (N, D_in)
        Only rank 2 is accepted; flatten images first with ``x.reshape(N, -1)``.
    w : array_like, shape (D_in, D_out)
    b : array_like, shape (D_out,)

    Returns
    -------
    out : numpy.ndarray, shape (N, D_out)
        In the dtype of ``x @ w``; b is cast to it.
    cache : LinearCache

    Examples
    --------
    >>> import numpy as np
    >>> out, _ = linear_forward(np.ones((2, 3)), np.ones((3, 4)), np.arange(4.0))
    >>> out
    array([[3., 4., 5., 6.],
           [3., 4., 5., 6.]])
    """
    x = as_float_array(x, "x")
    w = as_float_array(w, "w")
    b = as_float_array(b, "b")
    if x.ndim != 2:
        raise ValueError(
            f"x must have rank 2 (N, D_in), got rank {x.ndim} with shape {x.shape}; flatten it with x.reshape(N, -1)"
        )
    check_rank(w, 2, "w", "(D_in, D_out)")
    if w.shape[0] != x.shape[1]:
        raise ValueError(
            f"w must have shape (D_in, D_out) with D_in = x.shape[1] = {x.shape[1]}, got {w.shape}"
        )
    check_shape(b, (w.shape[1],), "b")
    out = x @ w
    out += b.astype(out.dtype, copy=False)  # x and w decide the dtype, as in conv2d_forward
    return out, LinearCache(x, w)


def linear_backward(dout: object, cache: LinearCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of the affine layer.

    Parameters
    ----------
    dout : array_like, shape (N, D_out)
        Gradient of the loss with respect to ``out``.
    cache : LinearCache
        From ``linear_forward``.

    Returns
    -------
    dx : (N, D_in) = dout @ w.T
    dw : (D_in, D_out) = x.T @ dout
    db : (D_out,) = dout summed over the batch
    """
    check_cache(cache, LinearCache, "linear_forward")
    x, w = cache
    dout = check_dout(dout, (x.shape[0], w.shape[1]))
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)
