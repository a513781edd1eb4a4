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

from dlnotes.checks import as_float_array, check_pair, check_rank
from dlnotes.layers._common import check_cache, check_dout
from dlnotes.shapes import conv_output_size

__all__ = [
    "PoolCache",
    "maxpool2d_forward",
    "maxpool2d_backward",
    "avgpool2d_forward",
    "avgpool2d_backward",
]


class PoolCache(NamedTuple):
    """What the pooling backward passes need.

    ``routes`` (max pooling only) is a bool array (kh*kw, N, C, H_out, W_out):
    ``routes[k]`` marks the windows whose gradient goes to offset k.
    """

    kind: str
    x_shape: tuple[int, int, int, int]
    out_shape: tuple[int, int, int, int]
    kernel: tuple[int, int]
    stride: tuple[int, int]
    routes: np.ndarray | None


def _setup(x: object, kernel_size: object, stride: object):
    x = as_float_array(x, "x")
    check_rank(x, 4, "x", "(N, C, H, W)")
    kernel = check_pair(kernel_size, "kernel_size", 1)
    stride = kernel if stride is None else check_pair(stride, "stride", 1)
    try:
        out_hw = tuple(conv_output_size(x.shape[2 + a], kernel[a], stride[a]) for a in (0, 1))
    except ValueError as err:
        raise ValueError(f"the pooling window {kernel} does not fit into x of shape {x.shape}: {err}") from None
    return x, kernel, stride, x.shape[:2] + out_hw


def _offsets(kernel: tuple[int, int], stride: tuple[int, int], out_hw: tuple[int, ...]) -> Iterator:
    """Yield (k, index) for each offset in row-major order; ``x[index]`` is (N, C, H_out, W_out)."""
    (kh, kw), (sh, sw), (out_h, out_w) = kernel, stride, out_hw
    for i in range(kh):
        for j in range(kw):
            rows = slice(i, i + sh * (out_h - 1) + 1, sh)
            cols = slice(j, j + sw * (out_w - 1) + 1, sw)
            yield i * kw + j, (slice(None), slice(None), rows, cols)


def _overlapping(cache: PoolCache) -> bool:
    return cache.stride[0] < cache.kernel[0] or cache.stride[1] < cache.kernel[1]


def maxpool2d_forward(x: object, kernel_size: object, stride: object = None) -> tuple[np.ndarray, PoolCache]:
    """Max pooling, as ``torch.nn.functional.max_pool2d(x, kernel_size, stride)``.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    kernel_size : int or (kh, kw) pair
    stride : int or (sh, sw) pair, optional
        Defaults to ``kernel_size``.

    Returns
    -------
    out : numpy.ndarray, shape (N, C, H_out, W_out)
    cache : PoolCache
        Records which element of each window is the maximum. On ties the
        gradient goes to the first maximum in row-major order inside the
        window, as in PyTorch. Inputs with NaN are not supported.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> maxpool2d_forward(x, 2)[0][0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    x, kernel, stride, out_shape = _setup(x, kernel_size, stride)
    offsets = list(_offsets(kernel, stride, out_shape[2:]))
    out = x[offsets[0][1]].copy()
    for _, index in offsets[1:]:
        np.maximum(out, x[index], out=out)
    # Routing, like torch's saved indices: the first offset equal to the max wins
    routes = np.empty((len(offsets),) + out.shape, dtype=bool)
    free = np.ones(out.shape, dtype=bool)
    for k, index in offsets:
        np.equal(x[index], out, out=routes[k])
        routes[k] &= free
        free ^= routes[k]
    return out, PoolCache("max", x.shape, out_shape, kernel, stride, routes)


def maxpool2d_backward(dout: object, cache: PoolCache) -> np.ndarray:
    """Gradient of max pooling: each window's ``dout`` goes to its maximum.

    Parameters
    ----------
    dout : array_like, shape (N, C, H_out, W_out)
    cache : PoolCache
        From ``maxpool2d_forward``.

    Returns
    -------
    dx : numpy.ndarray, shape (N, C, H, W)
    """
    check_cache(cache, PoolCache, "maxpool2d_forward")
    if cache.kind != "max":
        raise ValueError("maxpool2d_backward needs the cache of maxpool2d_forward, got one from avgpool2d_forward")
    dout = check_dout(dout, cache.out_shape)
    dx = np.zeros(cache.x_shape, dtype=dout.dtype)
    overlapping = _overlapping(cache)
    for k, index in _offsets(cache.kernel, cache.stride, cache.out_shape[2:]):
        if overlapping:
            dx[index] += dout * cache.routes[k]
        else:
            np.multiply(dout, cache.routes[k], out=dx[index])
    return dx


def avgpool2d_forward(x: object, kernel_size: object, stride: object = None) -> tuple[np.ndarray, PoolCache]:
    """Average pooling, as ``torch.nn.functional.avg_pool2d(x, kernel_size, stride)``.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
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
    x, kernel, stride, out_shape = _setup(x, kernel_size, stride)
    offsets = list(_offsets(kernel, stride, out_shape[2:]))
    out = x[offsets[0][1]].copy()
    for _, index in offsets[1:]:
        out += x[index]
    out *= 1 / len(offsets)  # a Python float keeps float32 in float32
    return out, PoolCache("avg", x.shape, out_shape, kernel, stride, None)


def avgpool2d_backward(dout: object, cache: PoolCache) -> np.ndarray:
    """Gradient of average pooling: each window spreads ``dout / (kh*kw)`` evenly.

    Parameters
    ----------
    dout : array_like, shape (N, C, H_out, W_out)
    cache : PoolCache
        From ``avgpool2d_forward``.

    Returns
    -------
    dx : numpy.ndarray, shape (N, C, H, W)
    """
    check_cache(cache, PoolCache, "avgpool2d_forward")
    if cache.kind != "avg":
        raise ValueError("avgpool2d_backward needs the cache of avgpool2d_forward, got one from maxpool2d_forward")
    dout = check_dout(dout, cache.out_shape)
    share = dout * (1 / (cache.kernel[0] * cache.kernel[1]))
    dx = np.zeros(cache.x_shape, dtype=share.dtype)
    overlapping = _overlapping(cache)
    for _, index in _offsets(cache.kernel, cache.stride, cache.out_shape[2:]):
        if overlapping:
            dx[index] += share
        else:
            dx[index] = share
    return dx
