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

from typing import Literal, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, check_nonempty, check_pair, check_rank, check_shape
from dlnotes.layers._common import check_cache, check_dout, pad_hw, private
from dlnotes.layers.sizes import check_window_fits

__all__ = ["Conv2dCache", "conv2d_forward", "conv2d_backward", "conv2d_naive", "conv2d_nhwc_loop"]


class Conv2dCache(NamedTuple):
    """What ``conv2d_backward`` needs. ``cols`` is the (C*HH*WW, N*H_out*W_out) im2col matrix.

    ``w`` and ``cols`` belong to the cache (copies, never the caller's arrays),
    so updating ``x`` or ``w`` in place before the backward pass cannot change
    the gradients.
    """

    x_shape: tuple[int, int, int, int]
    w: np.ndarray
    cols: np.ndarray
    stride: tuple[int, int]
    padding: tuple[int, int]
    out_shape: tuple[int, int, int, int]


Pair = int | tuple[int, int]
Layout = Literal["NCHW", "NHWC"]
# layout: (x axes, w axes, C axis of w, F axis of w, the other kernel layout, its converter)
_LAYOUTS = {
    "NCHW": ("(N, C, H, W)", "(F, C, HH, WW)", 1, 0, "(HH, WW, C, F)", "hwio_to_oihw"),
    "NHWC": ("(N, H, W, C)", "(HH, WW, C, F)", 2, 3, "(F, C, HH, WW)", "oihw_to_hwio"),
}


def _kernel_hint(w_shape: tuple[int, ...], b_shape: tuple[int, ...], c: int, layout: Layout) -> str:
    """A hint when w fits the other kernel layout (C channels, F = len(b)) and not this one."""
    _, _, c_axis, f_axis, other, converter = _LAYOUTS[layout]
    o_c_axis, o_f_axis = (2, 3) if layout == "NCHW" else (1, 0)
    fits = w_shape[c_axis] == c and b_shape == (w_shape[f_axis],)
    fits_other = w_shape[o_c_axis] == c and (
        w_shape[c_axis] != c or b_shape == (w_shape[o_f_axis],)
    )
    if fits or not fits_other:
        return ""
    return f"; this looks like an {other} kernel: convert it with {converter}"


def _check_conv(
    x: ArrayLike, w: ArrayLike, b: ArrayLike, stride: Pair, padding: Pair, layout: Layout = "NCHW"
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], tuple[int, int], tuple[int, int], tuple]:
    """Validate; return (x, w, b) in one dtype (w private), the pairs and (H_out, W_out)."""
    x_layout, w_layout, c_axis, f_axis, _, _ = _LAYOUTS[layout]
    given_w = w
    x, w, b = as_float_array(x, "x"), as_float_array(w, "w"), as_float_array(b, "b")
    check_rank(x, 4, "x", x_layout)
    check_rank(w, 4, "w", w_layout)
    check_nonempty(x, "x")
    check_nonempty(w, "w")
    c = x.shape[1 if layout == "NCHW" else 3]
    hint = _kernel_hint(w.shape, b.shape, c, layout)
    if w.shape[c_axis] != c or hint:
        raise ValueError(
            f"w must have shape {w_layout} with C = {c} channels like x, got {w.shape}{hint}"
        )
    check_shape(b, (w.shape[f_axis],), "b", "(F,)")
    sh, sw = check_pair(stride, "stride", 1)
    ph, pw = check_pair(padding, "padding", 0)
    (h, wd), (hh, ww) = (
        (x.shape[2:], w.shape[2:]) if layout == "NCHW" else (x.shape[1:3], w.shape[:2])
    )
    try:
        check_window_fits(h, hh, sh, ph)
        check_window_fits(wd, ww, sw, pw)
    except ValueError as err:
        raise ValueError(
            f"the kernel does not fit: x has shape {x.shape}, w has shape {w.shape}: {err}"
        ) from None
    out_hw = ((h + 2 * ph - hh) // sh + 1, (wd + 2 * pw - ww) // sw + 1)
    dtype = np.result_type(x, w)  # x and w decide: float32 stays float32 even with a float64 b
    w = private(w.astype(dtype, copy=False), given_w)
    arrays = (x.astype(dtype, copy=False), w, b.astype(dtype, copy=False))
    return arrays, (sh, sw), (ph, pw), out_hw


def conv2d_naive(
    x: ArrayLike, w: ArrayLike, b: ArrayLike, stride: Pair = 1, padding: Pair = 0
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
    x: ArrayLike, w: ArrayLike, b: ArrayLike, stride: Pair = 1, padding: Pair = 0
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
    # The one copy: im2col matrix (C*HH*WW, N*H_out*W_out); rows in the order (c, i, j) of
    # w.reshape(F, -1). A copy also when the view happens to be contiguous, so the cache owns it.
    cols = np.reshape(windows, (c * hh * ww, n * out_h * out_w), copy=True)
    # One large matrix product, so BLAS can use all its threads
    out_rows = w.reshape(f, -1) @ cols  # (F, N*H_out*W_out)
    # Back to NCHW, adding the bias in the same pass
    out = np.empty((n, f, out_h, out_w), dtype=out_rows.dtype)
    np.add(out_rows.reshape(f, n, out_h, out_w).transpose(1, 0, 2, 3), b[:, None, None], out=out)
    return out, Conv2dCache((n, c, h, wd), w, cols, (sh, sw), (ph, pw), out.shape)


def conv2d_backward(
    dout: ArrayLike, cache: Conv2dCache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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

    Examples
    --------
    >>> import numpy as np
    >>> out, cache = conv2d_forward(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), np.zeros(1))
    >>> dx, dw, db = conv2d_backward(np.ones_like(out), cache)
    >>> dx[0, 0], db      # dx counts the windows covering each pixel
    (array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]]), array([4.]))
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
    x: ArrayLike, w: ArrayLike, b: ArrayLike, stride: Pair = 1, padding: Pair = 0
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

    Examples
    --------
    >>> import numpy as np
    >>> conv2d_nhwc_loop(np.ones((2, 28, 28, 3)), np.ones((5, 5, 3, 32)), np.zeros(32), 2, 2).shape
    (2, 14, 14, 32)
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
