"""Checker for the pooling, dropout, batch-norm and dense layers chapter: 2×2 max pooling."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check
from dlnotes.layers.pooling import avgpool2d_forward, maxpool2d_forward

__all__ = ["max_pool"]


def _cases() -> list[Case]:
    rng = np.random.default_rng(2064)
    cases = [
        Case({"x": rng.standard_normal(shape)}, label)
        for shape, label in (
            ((2, 4, 6, 8), "一批 2 张、4 个通道的 6×8 特征图"),
            ((1, 3, 4, 4), "1 张 3 通道的 4×4 特征图"),
            ((3, 2, 2, 6), "3 张 2 通道的 2×6 特征图"),
            ((2, 1, 8, 2), "2 张单通道的 8×2 特征图"),
        )
    ]
    # one scale per 2×2 window, so that whole windows lie below any fixed starting value
    scale = np.kron(10.0 ** rng.uniform(-2, 150, (2, 3, 2, 3)), np.ones((2, 2)))
    cases.append(
        Case(
            {"x": -scale * (1 + rng.random((2, 3, 4, 6)))},
            "全是负数、绝对值相差许多个数量级的特征图",
            extreme=True,
        )
    )
    return cases


def _reference(x: np.ndarray) -> np.ndarray:
    out, _ = maxpool2d_forward(x, 2, stride=2)
    return out


def _windows(x: np.ndarray) -> np.ndarray:
    """(N, C, H/2, W/2, 4): the four entries of each 2×2 window, in row-major order."""
    n, c, h, w = x.shape
    return (
        x.reshape(n, c, h // 2, 2, w // 2, 2)
        .transpose(0, 1, 2, 4, 3, 5)
        .reshape(n, c, h // 2, w // 2, 4)
    )


def _pool_axes(x: np.ndarray, first: int) -> np.ndarray:
    """2×2 max pooling with stride 2 over the axes first and first + 1 instead of H and W."""
    moved = np.moveaxis(x, (first, first + 1), (2, 3))
    return np.moveaxis(_reference(np.ascontiguousarray(moved)), (2, 3), (first, first + 1))


def _threshold_problem(got: np.ndarray, case: Case) -> str | None:
    """A maximum that started from a constant larger than some windows' entries."""
    expected = _reference(case.args["x"])
    floor = float(np.min(got))
    if floor > float(np.min(expected)) and np.allclose(got, np.maximum(expected, floor)):
        return (
            "有些窗口得到的是同一个常数，而不是窗口里的最大值：存放最大值的变量，初值不够小。"
            "可以用窗口里的第一个数作初值，或者用负无穷。"
        )
    return None


_MAX_POOL = Exercise(
    name="max_pool",
    example_call="check.max_pool(my_pool)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(
            lambda x: np.maximum(_reference(x), 0),
            "全是负数的窗口得到了 0：是不是把最大值的初值设成了 0，或者和 0 比较取了较大的"
            "（像 ReLU 那样）？窗口里全是负数时，最大值也是负数。",
        ),
        Mistake(
            lambda x: avgpool2d_forward(x, 2)[0],
            "这是平均池化（窗口里的平均值），本题要的是最大池化（窗口里的最大值）。",
        ),
        Mistake(
            lambda x: 4 * avgpool2d_forward(x, 2)[0],
            "你把窗口里的数加了起来，最大池化要的是窗口里的最大值。",
        ),
        Mistake(
            lambda x: -_reference(-x),
            "取的是窗口里的最小值，最大池化要的是最大值。",
        ),
        Mistake(
            lambda x: _windows(x).argmax(axis=-1).astype(x.dtype),
            "返回的像是每个窗口里最大值的位置（argmax），本题要的是最大值本身。",
        ),
        Mistake(
            lambda x: maxpool2d_forward(x, 2, stride=1)[0],
            "窗口每次只移动了 1 格：本题的步长是 2，相邻的窗口互不重叠，"
            "所以输出的高和宽都是输入的一半。",
        ),
        Mistake(
            lambda x: _pool_axes(x, 1),
            "池化的轴不对：输入的布局是 (N, C, H, W)，窗口应当在最后两个轴（H 和 W）上滑动；"
            "你的结果像是把输入当成了 (N, H, W, C) 布局。",
        ),
        Mistake(
            lambda x: _pool_axes(x, 0),
            "池化的轴不对：你在 N 和 C 两个轴上取了最大值，窗口应当在最后两个轴（H 和 W）上滑动。",
        ),
        Mistake(
            lambda x: _reference(x).max(axis=1),
            "把不同通道的数也放进同一个窗口里取了最大值：池化对每个通道单独进行，"
            "输出的通道数与输入相同。",
        ),
        Mistake(
            lambda x: _reference(x).max(axis=1, keepdims=True),
            "把不同通道的数也放进同一个窗口里取了最大值：池化对每个通道单独进行，"
            "输出的通道数与输入相同。",
        ),
        Mistake(
            lambda x: x.max(axis=(2, 3)),
            "对整张特征图只取了一个最大值（全局最大池化）；本题的窗口是 2×2、步长为 2。",
        ),
        Mistake(
            lambda x: x.max(axis=(2, 3), keepdims=True),
            "对整张特征图只取了一个最大值（全局最大池化）；本题的窗口是 2×2、步长为 2。",
        ),
        Mistake(
            lambda x: _reference(x).swapaxes(2, 3),
            "输出的高和宽对调了：结果应当保持 (N, C, H, W) 的布局。",
        ),
    ),
    properties=_threshold_problem,
    sensitive=("x",),
)


def max_pool(func: Callable[[np.ndarray], np.ndarray]) -> CheckResult:
    """Check ``func(x)``, 2×2 max pooling with stride 2, on hidden inputs (all-negative included).

    Parameters
    ----------
    func : callable
        ``func(x)`` with ``x`` of shape (N, C, H, W), H and W even; it must return the
        (N, C, H/2, W/2) float array of the maximum of each non-overlapping 2×2 window, each
        channel on its own.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> import numpy as np
    >>> def average(x):
    ...     n, c, h, w = x.shape
    ...     return x.reshape(n, c, h // 2, 2, w // 2, 2).mean(axis=(3, 5))
    >>> max_pool(average)
    这是平均池化（窗口里的平均值），本题要的是最大池化（窗口里的最大值）。
    """
    return run_check(_MAX_POOL, func)
