"""2-D convolution (cross-correlation, as in PyTorch) in the NCHW layout.

Three versions of the same computation:

* ``conv2d_naive`` translates the definition into loops. It is the reference
  that the tests compare everything else with.
* ``conv2d_forward`` / ``conv2d_backward`` are the fast versions used in
  practice: im2col (every receptive field becomes one column of a matrix)
  followed by matrix products, so the arithmetic runs in BLAS.
* ``conv2d_nhwc_loop`` is the lecture notes' ``conv_forward`` with its two
  bugs fixed, in their NHWC layout; it loops over output positions only.

Shapes: x (N, C, H, W), w (F, C, HH, WW), b (F,), out (N, F, H_out, W_out)
with ``H_out = (H + 2 * ph - HH) // sh + 1`` and likewise for W_out.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from dlnotes.checks import as_float_array, check_pair, check_rank, check_shape
from dlnotes.layers._common import check_cache, check_dout, pad_hw
from dlnotes.layers.sizes import conv_output_size

__all__ = ["Conv2dCache", "conv2d_forward", "conv2d_backward", "conv2d_naive", "conv2d_nhwc_loop"]


class Conv2dCache(NamedTuple):
    """What ``conv2d_backward`` needs. ``cols`` is the (C*HH*WW, N*H_out*W_out) im2col matrix."""

    x_shape: tuple[int, int, int, int]
    w: np.ndarray
    cols: np.ndarray
    stride: tuple[int, int]
    padding: tuple[int, int]
    out_shape: tuple[int, int, int, int]


def _check_conv(
    x: object, w: object, b: object, stride: object, padding: object, layout: str = "NCHW"
):
    """Validate the arguments; return arrays of one dtype, the pairs and (H_out, W_out)."""
    x_layout, w_layout = (
        ("(N, C, H, W)", "(F, C, HH, WW)")
        if layout == "NCHW"
        else ("(N, H, W, C)", "(HH, WW, C, F)")
    )
    x = as_float_array(x, "x")
    w = as_float_array(w, "w")
    b = as_float_array(b, "b")
    check_rank(x, 4, "x", x_layout)
    check_rank(w, 4, "w", w_layout)
    if layout == "NCHW":
        (c_x, h, wd), (f, c_w, hh, ww) = x.shape[1:], w.shape
    else:
        (h, wd, c_x), (hh, ww, c_w, f) = x.shape[1:], w.shape
    if c_w != c_x:
        raise ValueError(
            f"w must have shape {w_layout} with C = {c_x} channels like x, got w of shape {w.shape}"
        )
    check_shape(b, (f,), "b")
    sh, sw = check_pair(stride, "stride", 1)
    ph, pw = check_pair(padding, "padding", 0)
    try:
        out_hw = (conv_output_size(h, hh, sh, ph), conv_output_size(wd, ww, sw, pw))
    except ValueError as err:
        raise ValueError(
            f"the kernel does not fit: x has shape {x.shape}, w has shape {w.shape}: {err}"
        ) from None
    dtype = np.result_type(x, w)  # x and w decide: float32 stays float32 even with a float64 b
    arrays = (x.astype(dtype, copy=False), w.astype(dtype, copy=False), b.astype(dtype, copy=False))
    return arrays, (sh, sw), (ph, pw), out_hw


def conv2d_naive(
    x: object, w: object, b: object, stride: object = 1, padding: object = 0
) -> np.ndarray:
    """Convolution by its definition, one output number at a time (slow; for teaching and tests).

    ``out[n, f, i, j] = sum(x_padded[n, :, i*sh : i*sh+HH, j*sw : j*sw+WW] * w[f]) + b[f]``

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    w : array_like, shape (F, C, HH, WW)
    b : array_like, shape (F,)
    stride, padding : int or (h, w) pair

    Returns
    -------
    out : numpy.ndarray, shape (N, F, H_out, W_out)
        Only the output: this version has no backward pass.

    Examples
    --------
    >>> import numpy as np
    >>> conv2d_naive(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), np.zeros(1), padding=1)[0, 0]
    array([[1., 2., 2., 1.],
           [2., 4., 4., 2.],
           [2., 4., 4., 2.],
           [1., 2., 2., 1.]])
    """
    (x, w, b), (sh, sw), (ph, pw), (out_h, out_w) = _check_conv(x, w, b, stride, padding)
    n_images, n_filters, hh, ww = x.shape[0], w.shape[0], w.shape[2], w.shape[3]
    xp = pad_hw(x, ph, pw)
    out = np.zeros((n_images, n_filters, out_h, out_w), dtype=x.dtype)
    for n in range(n_images):
        for f in range(n_filters):
            for i in range(out_h):
                for j in range(out_w):
                    window = xp[n, :, i * sh : i * sh + hh, j * sw : j * sw + ww]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out


def conv2d_forward(
    x: object, w: object, b: object, stride: object = 1, padding: object = 0
) -> tuple[np.ndarray, Conv2dCache]:
    """Fast convolution: im2col plus one large matrix product.

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    w : array_like, shape (F, C, HH, WW)
        Kernels may be non-square (HH != WW).
    b : array_like, shape (F,)
    stride : int or (sh, sw) pair, each >= 1
    padding : int or (ph, pw) pair, each >= 0; zeros on both sides

    Returns
    -------
    out : numpy.ndarray, shape (N, F, H_out, W_out)
        Same as ``torch.nn.functional.conv2d(x, w, b, stride, padding)``.
        Computed in the dtype of x and w (float32 stays float32); b is cast
        to it.
    cache : Conv2dCache

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=(10, 3, 28, 28))
    >>> w = np.random.default_rng(1).normal(size=(32, 3, 5, 5))
    >>> out, cache = conv2d_forward(x, w, np.zeros(32), stride=2, padding=2)
    >>> out.shape
    (10, 32, 14, 14)
    >>> bool(np.allclose(out, conv2d_naive(x, w, np.zeros(32), stride=2, padding=2)))
    True
    """
    (x, w, b), (sh, sw), (ph, pw), (out_h, out_w) = _check_conv(x, w, b, stride, padding)
    n, c, h, wd = x.shape
    f, _, hh, ww = w.shape
    xp = pad_hw(x, ph, pw)
    # A view (C, HH, WW, N, H_out, W_out) of every receptive field, no copy yet:
    # windows[c, i, j, n, r, s] = xp[n, c, r * sh + i, s * sw + j]
    bn, bc, bh, bw = xp.strides
    windows = as_strided(
        xp, (c, hh, ww, n, out_h, out_w), (bc, bh, bw, bn, bh * sh, bw * sw), writeable=False
    )
    # The one copy: im2col matrix (C*HH*WW, N*H_out*W_out); row order (c, i, j) matches w.reshape(F, -1)
    cols = windows.reshape(c * hh * ww, n * out_h * out_w)
    # One large matrix product, so BLAS can use all its threads
    out_rows = w.reshape(f, -1) @ cols  # (F, N*H_out*W_out)
    # Back to NCHW, adding the bias in the same pass
    out = np.empty((n, f, out_h, out_w), dtype=out_rows.dtype)
    np.add(out_rows.reshape(f, n, out_h, out_w).transpose(1, 0, 2, 3), b[:, None, None], out=out)
    return out, Conv2dCache((n, c, h, wd), w, cols, (sh, sw), (ph, pw), out.shape)


def conv2d_backward(dout: object, cache: Conv2dCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``conv2d_forward``.

    Parameters
    ----------
    dout : array_like, shape (N, F, H_out, W_out)
    cache : Conv2dCache
        From ``conv2d_forward``.

    Returns
    -------
    dx : (N, C, H, W)
    dw : (F, C, HH, WW)
    db : (F,)
    """
    check_cache(cache, Conv2dCache, "conv2d_forward")
    x_shape, w, cols, (sh, sw), (ph, pw), out_shape = cache
    dout = check_dout(dout, out_shape)
    n, c, h, wd = x_shape
    f, _, hh, ww = w.shape
    out_h, out_w = out_shape[2:]
    # dout as (F, N*H_out*W_out), the layout of the forward's matrix product
    d2 = dout.reshape(n, f, out_h * out_w).transpose(1, 0, 2).reshape(f, -1)
    db = d2.sum(axis=1)
    dw = (d2 @ cols.T).reshape(w.shape)
    dcols = (w.reshape(f, -1).T @ d2).reshape(c, hh, ww, n, out_h, out_w)
    # col2im: kernel offset (i, j) adds its gradient to a strided slice of the padded input.
    # The buffer is (C, N, H_pad, W_pad) to match dcols; np.add.at is never needed.
    dxp = np.zeros((c, n, h + 2 * ph, wd + 2 * pw), dtype=dcols.dtype)
    for i in range(hh):
        for j in range(ww):
            dxp[:, :, i : i + sh * out_h : sh, j : j + sw * out_w : sw] += dcols[:, i, j]
    dx = dxp[:, :, ph : ph + h, pw : pw + wd].transpose(1, 0, 2, 3).copy()
    return dx, dw, db


def conv2d_nhwc_loop(
    x: object, w: object, b: object, stride: object = 1, padding: object = 0
) -> np.ndarray:
    """The lecture notes' ``conv_forward`` with its bugs fixed, in their NHWC layout.

    The original overwrote the weight argument ``w`` with the input width
    (``n, h, w, c = x.shape``) and multiplied an (N, HH, WW, C) patch by an
    (HH, WW, C, F) kernel, which does not broadcast. Here the width is
    ``width`` and each output position contracts the patch with the kernel
    over (HH, WW, C) using ``np.tensordot``.

    Parameters
    ----------
    x : array_like, shape (N, H, W, C)
    w : array_like, shape (HH, WW, C, F)
    b : array_like, shape (F,)
    stride, padding : int or (h, w) pair

    Returns
    -------
    out : numpy.ndarray, shape (N, H_out, W_out, F)
        Equal to ``nchw_to_nhwc(conv2d_forward(nhwc_to_nchw(x), hwio_to_oihw(w), b)[0])``.
    """
    (x, w, b), (sh, sw), (ph, pw), (out_h, out_w) = _check_conv(
        x, w, b, stride, padding, layout="NHWC"
    )
    n, height, width, c = x.shape
    f_height, f_width, _, n_filters = w.shape
    xp = np.zeros((n, height + 2 * ph, width + 2 * pw, c), dtype=x.dtype)
    xp[:, ph : ph + height, pw : pw + width, :] = x
    out = np.zeros((n, out_h, out_w, n_filters), dtype=x.dtype)
    for i in range(out_h):
        for j in range(out_w):
            x_patch = xp[
                :, i * sh : i * sh + f_height, j * sw : j * sw + f_width, :
            ]  # (N, HH, WW, C)
            out[:, i, j, :] = np.tensordot(x_patch, w, axes=([1, 2, 3], [0, 1, 2])) + b
    return out
