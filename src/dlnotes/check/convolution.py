"""Checker for the tensors-and-convolution chapter: the 'valid' cross-correlation of one image."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check
from dlnotes.layers.conv import conv2d_forward

__all__ = ["cross_correlate"]


def _cases() -> list[Case]:
    rng = np.random.default_rng(2063)
    cases = []
    for x_shape, k_shape, label in (
        ((5, 7), (2, 3), "一张 5×7 的图像和一个 2×3 的卷积核"),
        ((6, 4), (3, 2), "一张 6×4 的图像和一个 3×2 的卷积核"),
        ((4, 9), (1, 4), "一张 4×9 的图像和一个 1×4 的卷积核"),
        ((8, 8), (3, 3), "一张 8×8 的图像和一个 3×3 的卷积核"),
        ((3, 5), (3, 5), "卷积核与图像一样大（3×5）的输入"),
    ):
        cases.append(
            Case({"x": rng.standard_normal(x_shape), "k": rng.standard_normal(k_shape)}, label)
        )
    cases.append(
        Case(
            {
                "x": 1e150 * rng.standard_normal((5, 6)),
                "k": 1e-150 * rng.standard_normal((2, 3)),
            },
            "数值很大的图像（约 1e150）和数值很小的卷积核（约 1e-150）",
            extreme=True,
        )
    )
    return cases


def _reference(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    out, _ = conv2d_forward(x[None, None], k[None, None], np.zeros(1))
    return out[0, 0]


def _padded(x: np.ndarray, k: np.ndarray, before: tuple[int, int]) -> np.ndarray:
    """The correlation of x zero-padded to keep its size, `before` zeros at the top and left."""
    (kh, kw), (top, left) = k.shape, before
    return _reference(np.pad(x, ((top, kh - 1 - top), (left, kw - 1 - left))), k)


def _full(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    """The correlation of x with kh - 1 rows and kw - 1 columns of zeros on every side."""
    kh, kw = k.shape
    return _reference(np.pad(x, ((kh - 1, kh - 1), (kw - 1, kw - 1))), k)


_SAME = (
    "输出尺寸不对：你的结果与输入一样大，像是先补了 0（“same”填充）；"
    "本题要的是“valid”互相关，不填充，只保留卷积核完全落在图像内的位置。"
)

_CORRELATE = Exercise(
    name="cross_correlate",
    example_call="check.cross_correlate(my_corr)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(
            lambda x, k: _reference(x, k[::-1, ::-1]),
            "这是数学里真正的卷积：卷积核被翻转了 180°。"
            "深度学习框架里的“卷积”不翻转卷积核，算的是互相关。",
        ),
        Mistake(
            lambda x, k: _reference(x, k[::-1, :]),
            "卷积核被上下翻转了（只沿一个方向翻转）："
            "互相关不翻转卷积核，窗口和卷积核按原样逐元素相乘。",
        ),
        Mistake(
            lambda x, k: _reference(x, k[:, ::-1]),
            "卷积核被左右翻转了（只沿一个方向翻转）："
            "互相关不翻转卷积核，窗口和卷积核按原样逐元素相乘。",
        ),
        Mistake(lambda x, k: _padded(x, k, ((k.shape[0] - 1) // 2, (k.shape[1] - 1) // 2)), _SAME),
        Mistake(lambda x, k: _padded(x, k, (k.shape[0] // 2, k.shape[1] // 2)), _SAME),
        Mistake(
            lambda x, k: _full(x, k),
            "输出尺寸不对：你的结果比输入还大，像是在四周补了 0 的“full”模式；"
            "本题要的是“valid”互相关，只保留卷积核完全落在图像内的位置。",
        ),
        Mistake(
            lambda x, k: _reference(x, k.T),
            "卷积核的高和宽用反了：k 的形状是 (kh, kw)，第 0 个轴是高（行），第 1 个轴是宽（列）；"
            "你的结果像是用转置后的卷积核算的。",
        ),
        Mistake(
            lambda x, k: _reference(x, k)[:-1, :-1],
            "少算了最后一行和最后一列的窗口位置：检查循环的范围（range 的上界），"
            "窗口的右下角正好落在图像的右下角时也要算。",
        ),
    ),
    sensitive=("x", "k"),
)


def cross_correlate(func: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> CheckResult:
    """Check ``func(x, k)``, the 'valid' cross-correlation of one single-channel image.

    Parameters
    ----------
    func : callable
        ``func(x, k)`` with ``x`` of shape (H, W), one single-channel image, and ``k`` of shape
        (kh, kw), a kernel that may be non-square; it must return the (H - kh + 1, W - kw + 1)
        float array of the cross-correlation without padding and with stride 1 (the kernel is
        not flipped), what deep-learning frameworks call a convolution.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> import numpy as np
    >>> from numpy.lib.stride_tricks import sliding_window_view
    >>> def flipped(x, k):  # slides the kernel turned by 180 degrees
    ...     return np.einsum("ijuv,uv->ij", sliding_window_view(x, k.shape), k[::-1, ::-1])
    >>> result = cross_correlate(flipped)
    >>> bool(result), result.message.startswith("这是数学里真正的卷积")
    (False, True)
    """
    return run_check(_CORRELATE, func)
