"""Checker for the least-squares chapter: the closed-form slope and intercept of a line fit."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check
from dlnotes.linear.least_squares import least_squares

__all__ = ["line_fit"]

_CANCEL_HINT = "（x 很大而变化很小时，两个几乎相等的大数相减会丢掉全部有效数字，甚至得到 0）"


def _cases() -> list[Case]:
    rng = np.random.default_rng(2052)
    cases = []
    x = rng.random(100)
    cases.append(
        Case({"x": x, "y": 2 * x + 3 + 0.2 * rng.standard_normal(100)}, "100 个样本的数据")
    )
    x = 2 * rng.standard_normal(7)
    cases.append(
        Case({"x": x, "y": -1.5 * x + 0.5 + 0.5 * rng.standard_normal(7)}, "7 个样本的数据")
    )
    x = rng.uniform(-3, 3, 2)
    cases.append(Case({"x": x, "y": rng.uniform(-3, 3, 2)}, "只有 2 个样本的数据"))
    x = np.arange(2000.0, 2020.0)
    cases.append(
        Case(
            {"x": x, "y": 0.3 * (x - 2000) + 12 + rng.standard_normal(20)},
            "x 是年份（2000 到 2019）的数据",
        )
    )
    # The chapter's cancellation: x about 10⁶, varying by less than 1. y is large as well, so
    # that a slope and an intercept that lost digits are not a multiple of the true pair.
    u = rng.random(50)
    cases.append(
        Case(
            {"x": 1e6 + u, "y": 1e6 - 1.5 * u + 0.1 * rng.standard_normal(50)},
            "x 和 y 都在 10⁶ 附近、只在很小的范围内变化的数据",
            extreme=True,
        )
    )
    return cases


def _reference(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.array(least_squares(x, y))


def _centred(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return x - x.mean(), y - y.mean()


def _with_intercept(w: float, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """[w, b] for a given slope, b from the centre of mass (the chapter's formula 9)."""
    return np.array([w, y.mean() - w * x.mean()])


def _denominator_uncentred(x, y):
    dx, dy = _centred(x, y)
    return _with_intercept(np.sum(dx * dy) / np.sum(x * x), x, y)


def _through_origin(x, y):
    return _with_intercept(np.sum(x * y) / np.sum(x * x), x, y)


def _inverted(x, y):
    dx, dy = _centred(x, y)
    return _with_intercept(np.sum(dy * dy) / np.sum(dx * dy), x, y)


def _mixed_counts(x, y):
    dx, dy = _centred(x, y)
    return _with_intercept(np.sum(dx * dy) / (x.size - 1) / np.mean(dx * dx), x, y)


def _cancelled(got: np.ndarray, case: Case) -> str | None:
    """On the extreme case, after agreement on every ordinary case: digits lost to cancellation."""
    if not case.extreme:
        return None
    return (
        f"结果在数值上不可靠：前面几组普通的数据都对了，说明公式本身没错；"
        f"但在{case.label}上，计算中有两个很大又几乎相等的数相减，"
        "有效数字几乎全部丢掉了（灾难性抵消）。想想怎样先把数据挪到 0 附近，再求那些和。"
    )


_LINE_FIT = Exercise(
    name="line_fit",
    example_call="check.line_fit(my_fit)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(
            lambda x, y: _reference(x, y)[::-1],
            "顺序反了：返回的数组第一个元素应是斜率 w，第二个是截距 b。",
        ),
        Mistake(
            lambda x, y: np.array([_reference(x, y)[0], y.mean()]),
            "斜率对了，截距不对：截距不是 y 的均值（除非 x 的均值恰好为 0），"
            "最优直线要穿过样本的重心。",
        ),
        Mistake(
            lambda x, y: np.array([_reference(x, y)[0], y.mean() + _reference(x, y)[0] * x.mean()]),
            "斜率对了，截距不对：其中一项的符号用反了，可以检查你的直线是否穿过样本的重心。",
        ),
        Mistake(
            _denominator_uncentred,
            "斜率的分母不对：你的结果像是除以了 x 本身的平方和；"
            "分子和分母都要用 x 相对于它的均值的偏差来算。",
        ),
        Mistake(
            _through_origin,
            "这像是过原点（b = 0）的直线的斜率：截距可以自由取值时，求和之前要先减去均值。",
        ),
        Mistake(
            lambda x, y: np.array([np.sum(x * y) / np.sum(x * x), 0.0]),
            "这是过原点（b = 0）的直线：本题的截距 b 可以自由取值，也要求出来。",
        ),
        Mistake(
            lambda x, y: _reference(y, x),
            "x 和 y 的角色对调了：你求的像是用 y 预测 x 的直线。本题要用 x 预测 y，"
            "最小化的是竖直方向的距离。",
        ),
        Mistake(
            _inverted,
            "x 和 y 的角色对调了：你的斜率像是用 y 预测 x 的直线的斜率取倒数。"
            "本题要用 x 预测 y，最小化的是竖直方向的距离。",
        ),
        Mistake(
            _mixed_counts,
            "斜率差一个接近 1 的倍数：分子和分母除以的样本数不一致"
            "（一个用 m，一个用 m − 1；NumPy 的 cov 和 var 默认的除数就不一样）。",
        ),
    ),
    properties=_cancelled,
    sensitive=("x", "y"),
    unstable_hint=_CANCEL_HINT,
)


def line_fit(func: Callable[..., np.ndarray]) -> CheckResult:
    """Check ``func(x, y)``, the closed-form least-squares line ``y ≈ w x + b``.

    Parameters
    ----------
    func : callable
        ``func(x, y)`` with ``x`` and ``y`` of shape (m,), m ≥ 2 paired samples (x not
        constant); it must return the (2,) float array ``[w, b]``, the slope and the intercept
        that minimise the mean squared error. One hidden input has x about 10⁶ varying by
        less than 1, where formulas that subtract two large sums lose their digits. The
        arguments are passed by name.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> import numpy as np
    >>> def textbook(x, y):
    ...     m = len(x)
    ...     w = (m * np.sum(x * y) - np.sum(x) * np.sum(y)) / (m * np.sum(x * x) - np.sum(x) ** 2)
    ...     return np.array([w, np.mean(y) - w * np.mean(x)])
    >>> line_fit(textbook).message.startswith("结果在数值上不可靠")
    True
    """
    return run_check(_LINE_FIT, func)
