"""Checker for the preliminaries chapter: the gradient of f(θ) = ½‖Aθ − y‖² with respect to θ."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check

__all__ = ["quadratic_gradient"]

_RANGE_HINT = "（想想哪一个中间结果超出了浮点数的范围）"


def _cases() -> list[Case]:
    rng = np.random.default_rng(2041)
    cases = []
    # The square case comes first: there a forgotten transpose runs, and gets its own diagnosis.
    for m, n, label in (
        (4, 4, "方阵 A（m = n = 4）"),
        (6, 3, "m = 6 个方程、n = 3 个未知数的 A"),
        (10, 2, "m = 10、n = 2 的 A"),
        (2, 5, "方程比未知数少的 A（m = 2、n = 5）"),
        (1, 3, "只有一行的 A（m = 1、n = 3）"),
    ):
        cases.append(
            Case(
                {
                    "A": rng.standard_normal((m, n)),
                    "theta": rng.standard_normal(n),
                    "y": rng.standard_normal(m),
                },
                label,
            )
        )
    cases.append(
        Case(
            {
                "A": rng.standard_normal((8, 3)),
                "theta": 1e7 * rng.standard_normal(3),
                "y": 1e7 * rng.standard_normal(8),
            },
            "量级很大（θ 和 y 约为 1e7）的输入",
            extreme=True,
        )
    )
    return cases


def _reference(A: np.ndarray, theta: np.ndarray, y: np.ndarray) -> np.ndarray:
    # f = ½ rᵀr with r = Aθ − y, and ∂r/∂θ = A, so ∇f = Aᵀ r (the chapter's result)
    return A.T @ (A @ theta - y)


def _residual(A, theta, y):
    return A @ theta - y


def _approximate(got: np.ndarray, case: Case) -> str | None:
    """On the extreme case, a small error after exact agreement everywhere else: a difference
    quotient instead of the formula (its round-off grows with the size of f)."""
    if not case.extreme:
        return None
    expected = _reference(**case.args)
    if np.max(np.abs(got - expected)) > 1e-2 * np.max(np.abs(expected)):
        return None
    return (
        f"在{case.label}上有误差：前面几组输入都对了，到这里结果只差一点。"
        "是不是用差分（数值梯度）近似了梯度？数值梯度是用来核对公式的，"
        "它的舍入误差随 f 的量级变大；本题要用推导出的公式精确地算出梯度。"
    )


_GRADIENT = Exercise(
    name="quadratic_gradient",
    example_call="check.quadratic_gradient(my_grad)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(
            lambda A, theta, y: 2 * _reference(A, theta, y),
            "多了一个因子 2：本题的 f 前面有 ½，它正好消掉平方求导带来的 2。",
        ),
        Mistake(
            lambda A, theta, y: _reference(A, theta, y) / y.size,
            "多除了样本数 m：本题的 f 是平方和的一半，不是平均值（下一章的 J 才除以 m）。",
        ),
        Mistake(
            lambda A, theta, y: -_reference(A, theta, y),
            "符号反了：结果正好是梯度的相反数（负梯度才是下降的方向）。"
            "检查链式法则里残差对 θ 求导时带出的符号。",
        ),
        Mistake(
            lambda A, theta, y: -_residual(A, theta, y),
            "求成了对 y 的梯度：本题要对 θ 求导，结果应与 theta 同形状。",
        ),
        Mistake(
            _residual,
            "返回的像是残差本身：还要用链式法则乘上残差对 θ 的导数，结果应与 theta 同形状。",
        ),
        Mistake(
            lambda A, theta, y: np.outer(_residual(A, theta, y), theta),
            "求成了对 A 的梯度（与 A 同形状）：本题要对 θ 求导，结果应与 theta 同形状。",
        ),
        Mistake(
            lambda A, theta, y: A @ _residual(A, theta, y),
            "A 少了转置：A 是方阵时形状碰巧对得上，但梯度要用 A 的转置去乘"
            "（A 不是方阵时，这样写会在矩阵乘法处报错）。",
        ),
        Mistake(
            lambda A, theta, y: A @ A @ theta - A.T @ y,
            "二次项里的矩阵不对：你的结果像是 A 与 A 相乘得到的，应当是 A 的转置与 A 相乘"
            "（A 是方阵时形状碰巧对得上）。",
        ),
        Mistake(
            lambda A, theta, y: A @ A.T @ theta - A.T @ y,
            "二次项里的矩阵次序反了：你的结果像是 A 乘 A 的转置，应当是 A 的转置乘 A"
            "（A 是方阵时形状碰巧对得上）。",
        ),
    ),
    properties=_approximate,
    sensitive=("A", "theta", "y"),
    unstable_hint=_RANGE_HINT,
)


def quadratic_gradient(func: Callable[..., np.ndarray]) -> CheckResult:
    """Check ``func(A, theta, y)``, the gradient of ``f(θ) = ½‖Aθ − y‖²`` with respect to θ.

    Parameters
    ----------
    func : callable
        ``func(A, theta, y)`` with ``A`` of shape (m, n), ``theta`` (n,) and ``y`` (m,); it
        must return the (n,) float array ``∇_θ f``, shaped like ``theta`` (the chapter's
        denominator layout). ``f`` carries the factor ½ and no mean. The arguments are passed
        by name.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> result = quadratic_gradient(lambda A, theta, y: A.T @ (y - A @ theta))
    >>> bool(result), result.message.startswith("符号反了")
    (False, True)
    """
    return run_check(_GRADIENT, func)
