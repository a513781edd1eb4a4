"""The fully connected (affine) layer ``out = x @ w + b``.

Unlike ``torch.nn.Linear``, whose weight is stored as (D_out, D_in), the
weight here is (D_in, D_out) as in the lecture notes, so ``F.linear(x, w.T, b)``
is the PyTorch equivalent.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, check_rank, check_shape
from dlnotes.layers._common import check_cache, check_dout, private

__all__ = ["LinearCache", "linear_forward", "linear_backward"]


class LinearCache(NamedTuple):
    """What ``linear_backward`` needs: the input and the weight, as the forward saw them.

    Both are private copies (or arrays the forward converted itself), so
    updating ``x`` or ``w`` in place before the backward pass cannot change
    the gradients.
    """

    x: np.ndarray
    w: np.ndarray


def _check_linear(
    x: ArrayLike, w: ArrayLike, b: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate; return x, w (private) and b in the dtype of ``x @ w``."""
    given_x, given_w = x, w
    x, w, b = as_float_array(x, "x"), as_float_array(w, "w"), as_float_array(b, "b")
    check_rank(x, 2, "x", "(N, D_in) (flatten images first: x.reshape(N, -1))")
    check_rank(w, 2, "w", "(D_in, D_out)")
    check_shape(w, (x.shape[1], w.shape[1]), "w", "(D_in, D_out) with D_in = x.shape[1]")
    check_shape(b, (w.shape[1],), "b", "(D_out,)")
    dtype = np.result_type(x, w)  # x and w decide: float32 stays float32 even with a float64 b
    x, w = x.astype(dtype, copy=False), w.astype(dtype, copy=False)
    return private(x, given_x), private(w, given_w), b.astype(dtype, copy=False)


def _check_backward(
    dout: ArrayLike, cache: LinearCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    check_cache(cache, LinearCache, "linear_forward")
    x, w = cache
    return x, w, check_dout(dout, (x.shape[0], w.shape[1]))


def linear_forward(x: ArrayLike, w: ArrayLike, b: ArrayLike) -> tuple[np.ndarray, LinearCache]:
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
    x, w, b = _check_linear(x, w, b)
    out = x @ w
    out += b  # broadcast over the N rows
    return out, LinearCache(x, w)


def linear_backward(
    dout: ArrayLike, cache: LinearCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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

    Examples
    --------
    >>> import numpy as np
    >>> out, cache = linear_forward(np.ones((2, 3)), np.ones((3, 4)), np.zeros(4))
    >>> [g.shape for g in linear_backward(np.ones((2, 4)), cache)]
    [(2, 3), (3, 4), (4,)]
    """
    x, w, dout = _check_backward(dout, cache)
    dx = dout @ w.T  # (N, D_out) @ (D_out, D_in)
    dw = x.T @ dout  # (D_in, N) @ (N, D_out)
    db = dout.sum(axis=0)
    return dx, dw, db
