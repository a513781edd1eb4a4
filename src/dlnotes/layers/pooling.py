"""Max and average pooling over (N, C, H, W) inputs, without padding.

``kernel_size`` and ``stride`` are an int or an (h, w) pair; ``stride=None``
means ``stride = kernel_size`` (non-overlapping windows), as in
``torch.nn.MaxPool2d``. The output is (N, C, H_out, W_out) with
``H_out = (H - kh) // sh + 1``: rows and columns that the last window does not
reach are ignored and get zero gradient.

Both layers loop over the kh*kw offsets inside a window and work on whole
strided slices ``x[:, :, i::sh, j::sw]`` at once. That is much faster in numpy
than ``x.reshape(N, C, H // k, k, W // k, k).max(axis=(3, 5))``, whose
reductions run over axes of length k.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, check_nonempty, check_pair, check_rank
from dlnotes.layers._common import check_cache, check_dout
from dlnotes.layers.sizes import check_window_fits

__all__ = [
    "PoolCache",
    "maxpool2d_forward",
    "maxpool2d_backward",
    "avgpool2d_forward",
    "avgpool2d_backward",
]


class PoolCache(NamedTuple):
    """What the pooling backward passes need.

    ``indices`` (max pooling only, like torch's ``return_indices``) is an
    (N, C, H_out, W_out) int array: the position of each window's maximum in
    ``x.ravel()``.
    """

    kind: str
    x_shape: tuple[int, int, int, int]
    out_shape: tuple[int, int, int, int]
    kernel: tuple[int, int]
    stride: tuple[int, int]
    indices: np.ndarray | None


_KINDS = {"max": "maxpool2d_forward", "avg": "avgpool2d_forward"}
Pair = int | tuple[int, int]


def _check_pool(
    x: ArrayLike, kernel_size: Pair, stride: Pair | None
) -> tuple[np.ndarray, tuple[int, int], tuple[int, int], tuple[int, int, int, int]]:
    """Validate; return x, the kernel and stride pairs and the output shape."""
    x = as_float_array(x, "x")
    check_rank(x, 4, "x", "(N, C, H, W)")
    check_nonempty(x, "x")
    kernel = check_pair(kernel_size, "kernel_size", 1)
    stride = kernel if stride is None else check_pair(stride, "stride", 1)
    try:
        check_window_fits(x.shape[2], kernel[0], stride[0], 0)
        check_window_fits(x.shape[3], kernel[1], stride[1], 0)
    except ValueError as err:
        raise ValueError(
            f"the pooling window {kernel} does not fit into x of shape {x.shape}: {err}"
        ) from None
    out_hw = tuple((x.shape[2 + a] - kernel[a]) // stride[a] + 1 for a in (0, 1))
    return x, kernel, stride, x.shape[:2] + out_hw


def _offsets(kernel: tuple[int, int], stride: tuple[int, int], out_hw: tuple[int, ...]) -> Iterator:
    """Yield (i, j, index) for each offset in the window, in row-major order.

    ``x[index]`` is the (N, C, H_out, W_out) array of the elements at offset
    (i, j) of every window.
    """
    (kh, kw), (sh, sw), (out_h, out_w) = kernel, stride, out_hw
    for i in range(kh):
        for j in range(kw):
            rows = slice(i, i + sh * (out_h - 1) + 1, sh)
            cols = slice(j, j + sw * (out_w - 1) + 1, sw)
            yield i, j, (slice(None), slice(None), rows, cols)


def _overlapping(cache: PoolCache) -> bool:
    return cache.stride[0] < cache.kernel[0] or cache.stride[1] < cache.kernel[1]


def maxpool2d_forward(
    x: ArrayLike, kernel_size: Pair, stride: Pair | None = None
) -> tuple[np.ndarray, PoolCache]:
    """Max pooling, as ``torch.nn.functional.max_pool2d(x, kernel_size, stride)``.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W), not empty
    kernel_size : int or (kh, kw) pair
    stride : int or (sh, sw) pair, optional
        Defaults to ``kernel_size``.

    Returns
    -------
    out : numpy.ndarray, shape (N, C, H_out, W_out)
    cache : PoolCache
        Records where each window's maximum is. On ties the gradient goes to
        the first maximum in row-major order inside the window, as in
        PyTorch. Inputs with NaN are not supported.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> maxpool2d_forward(x, 2)[0][0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    x, kernel, stride, out_shape = _check_pool(x, kernel_size, stride)
    n, c, h, w = x.shape
    offsets = list(_offsets(kernel, stride, out_shape[2:]))
    out = x[offsets[0][2]].copy()
    # shift = i * W + j of the maximum's offset (i, j) inside its window, as an int32 array
    shift = np.zeros(out_shape, dtype=np.int32)
    better = np.empty(out_shape, dtype=bool)
    for i, j, index in offsets[1:]:
        candidate = x[index]
        np.greater(
            candidate, out, out=better
        )  # strict: on ties the earlier offset wins, as in torch
        shift += better * (np.int32(i * w + j) - shift)  # shift = i * W + j where better
        np.maximum(out, candidate, out=out)
    # Position of each window's top-left corner in x.ravel(), plus the shift
    planes = np.arange(n * c).reshape(n, c, 1, 1) * (h * w)  # start of each (n, c) image
    top = np.arange(out_shape[2]) * stride[0]
    left = np.arange(out_shape[3]) * stride[1]
    corners = planes + top[:, None] * w + left
    return out, PoolCache("max", x.shape, out_shape, kernel, stride, corners + shift)


def maxpool2d_backward(dout: ArrayLike, cache: PoolCache) -> np.ndarray:
    """Gradient of max pooling: each window's ``dout`` goes to its maximum.

    Parameters
    ----------
    dout : array_like, shape (N, C, H_out, W_out)
    cache : PoolCache
        From ``maxpool2d_forward``.

    Returns
    -------
    dx : numpy.ndarray, shape (N, C, H, W)

    Examples
    --------
    >>> import numpy as np
    >>> out, cache = maxpool2d_forward(np.array([[[[1.0, 3.0], [2.0, 0.0]]]]), 2)
    >>> maxpool2d_backward(np.ones((1, 1, 1, 1)), cache)[0, 0]
    array([[0., 1.],
           [0., 0.]])
    """
    check_cache(cache, PoolCache, "maxpool2d_forward", kinds=_KINDS)
    dout = check_dout(dout, cache.out_shape)
    dx = np.zeros(int(np.prod(cache.x_shape)), dtype=dout.dtype)
    if _overlapping(cache):
        np.add.at(
            dx, cache.indices.ravel(), dout.ravel()
        )  # an element can be the maximum of several windows
    else:
        dx[cache.indices.ravel()] = dout.ravel()
    return dx.reshape(cache.x_shape)


def avgpool2d_forward(
    x: ArrayLike, kernel_size: Pair, stride: Pair | None = None
) -> tuple[np.ndarray, PoolCache]:
    """Average pooling, as ``torch.nn.functional.avg_pool2d(x, kernel_size, stride)``.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W), not empty
    kernel_size : int or (kh, kw) pair
    stride : int or (sh, sw) pair, optional
        Defaults to ``kernel_size``.

    Returns
    -------
    out : numpy.ndarray, shape (N, C, H_out, W_out)
        The mean of each kh*kw window.
    cache : PoolCache

    Examples
    --------
    >>> import numpy as np
    >>> avgpool2d_forward(np.arange(16.0).reshape(1, 1, 4, 4), 2)[0][0, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    x, kernel, stride, out_shape = _check_pool(x, kernel_size, stride)
    offsets = list(_offsets(kernel, stride, out_shape[2:]))
    out = x[offsets[0][2]].copy()
    for _, _, index in offsets[1:]:
        out += x[index]
    out *= 1 / len(offsets)  # a Python float keeps float32 in float32
    return out, PoolCache("avg", x.shape, out_shape, kernel, stride, None)


def avgpool2d_backward(dout: ArrayLike, cache: PoolCache) -> np.ndarray:
    """Gradient of average pooling: each window spreads ``dout / (kh*kw)`` evenly.

    Parameters
    ----------
    dout : array_like, shape (N, C, H_out, W_out)
    cache : PoolCache
        From ``avgpool2d_forward``.

    Returns
    -------
    dx : numpy.ndarray, shape (N, C, H, W)

    Examples
    --------
    >>> import numpy as np
    >>> out, cache = avgpool2d_forward(np.ones((1, 1, 2, 2)), 2)
    >>> avgpool2d_backward(np.ones((1, 1, 1, 1)), cache)[0, 0]
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """
    check_cache(cache, PoolCache, "avgpool2d_forward", kinds=_KINDS)
    dout = check_dout(dout, cache.out_shape)
    share = dout * (1 / (cache.kernel[0] * cache.kernel[1]))
    dx = np.zeros(cache.x_shape, dtype=share.dtype)
    overlapping = _overlapping(cache)
    for _, _, index in _offsets(cache.kernel, cache.stride, cache.out_shape[2:]):
        if overlapping:
            dx[index] += share
        else:
            dx[index] = share
    return dx
