"""Checker for the generalization chapter: ridge regression with an unpenalised constant term."""

# The hidden design matrices are the chapter's polynomial features [1, x, …, x^k], so the
# reference is the chapter's own fit_polynomial (read x back from the second column). The
# typical mistakes are solved stably as well (lstsq on an augmented system), so that they match
# a learner's normal-equation version of the same mistake on the ordinary cases.

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check
from dlnotes.linear.polynomial import fit_polynomial, polynomial_features

__all__ = ["ridge_fit"]

_CONDITION_HINT = "（X 的列几乎线性相关：想想怎样不构造 XᵀX）"


def _case(
    rng, m: int, degree: int, lam: float, label: str, low=-1.0, high=1.0, extreme=False
) -> Case:
    x = rng.uniform(low, high, m)
    # y far from 0 on average, so that penalising θ₀ or not makes a clear difference
    y = 3.7 + np.sin(np.pi * x) + 0.25 * rng.standard_normal(m)
    return Case({"X": polynomial_features(x, degree), "y": y, "lam": lam}, label, extreme)


def _cases() -> list[Case]:
    rng = np.random.default_rng(2071)
    return [
        _case(rng, 5, 4, 0.05, "5 个样本、4 次多项式特征（n = 5）、λ = 0.05 的输入"),
        _case(rng, 20, 3, 1e-3, "20 个样本、3 次多项式特征、λ = 1e-3 的输入"),
        _case(rng, 30, 5, 1.0, "30 个样本、5 次多项式特征、λ = 1（惩罚很强）的输入"),
        _case(rng, 12, 2, 10.0, "12 个样本、2 次多项式特征、λ = 10（惩罚非常强）的输入"),
        _case(rng, 15, 3, 0.0, "λ = 0（不加惩罚）的输入"),
        # x in [0, 1] and degree 10: the columns are nearly parallel, cond(X) is about 1e8, and
        # forming XᵀX squares it: a normal-equation solve keeps only a few digits.
        _case(
            rng,
            30,
            10,
            1e-13,
            "x 都在 0 到 1 之间、10 次多项式特征、λ 很小的输入（X 的列几乎线性相关）",
            low=0.0,
            high=1.0,
            extreme=True,
        ),
    ]


def _reference(X: np.ndarray, y: np.ndarray, lam: float) -> np.ndarray:
    return fit_polynomial(X[:, 1], y, X.shape[1] - 1, l2=lam)


def _augmented(X: np.ndarray, y: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Minimise |X θ − y|² + |rows θ|²: the system (XᵀX + rowsᵀ rows) θ = Xᵀ y, solved stably."""
    stacked = np.vstack([X, rows])
    return np.linalg.lstsq(stacked, np.concatenate([y, np.zeros(len(rows))]), rcond=None)[0]


def _penalised(X, y, strength: float, skip: int | None = 0) -> np.ndarray:
    """(XᵀX + strength · D) θ = Xᵀ y, D the identity without the entry ``skip`` (None: none)."""
    n = X.shape[1]
    rows = np.sqrt(strength) * np.eye(n)
    if skip is not None:
        rows = np.delete(rows, skip % n, axis=0)
    return _augmented(X, y, rows)


def _every_entry(X, y, strength: float) -> np.ndarray:
    """(XᵀX + strength) θ = Xᵀ y: the number added to every entry, not only the diagonal."""
    return _augmented(X, y, np.sqrt(strength) * np.ones((1, X.shape[1])))


def _outer_gram(X, y, lam):
    """X Xᵀ (m, m) in place of XᵀX (n, n): only runs when m = n."""
    d = np.eye(X.shape[1])
    d[0, 0] = 0.0
    return np.linalg.solve(X @ X.T + len(y) * lam * d, X.T @ y)


def _wrong_sign(X, y, lam):
    d = np.eye(X.shape[1])
    d[0, 0] = 0.0
    return np.linalg.solve(X.T @ X - len(y) * lam * d, X.T @ y)


def _unreliable(got: np.ndarray, case: Case) -> str | None:
    """On the extreme case, after agreement on every ordinary case: digits lost to XᵀX."""
    if not case.extreme:
        return None
    return (
        "结果在数值上不可靠：前面几组普通的输入都对了，说明公式本身没错；"
        f"但在{case.label}上，先算出 XᵀX 再解方程，会把 X 本身的病态程度再平方一次，"
        "丢掉大部分有效数字。想想怎样不构造 XᵀX：本章说过，fit_polynomial "
        "把这个方程改写成一个等价的最小二乘问题来解。"
    )


_SCALE_M = (
    "λ 的缩放不对：惩罚相对于误差项的强弱差了 m 倍（m 是样本数）。本章 J_λ 的误差项是"
    "平均（除以 2m），惩罚项 λ/2 Σθ² 不除以 m：方程两边同乘或同除 m 时，两项要一起变。"
)
_SCALE_2 = (
    "惩罚的强弱差了 2 倍：本章 J_λ 的误差项带 1/(2m)，惩罚项带 λ/2，两个 1/2 在求导后一起消掉。"
)
_EVERY_ENTRY = (
    "λ 加到了矩阵的每一个元素上：惩罚只加在对角线上（θ₀ 对应的那个对角元除外）。"
    "NumPy 里矩阵加一个数，会加到每个元素上。"
)
_RIDGE = Exercise(
    name="ridge_fit",
    example_call="check.ridge_fit(my_ridge)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(
            lambda X, y, lam: np.linalg.lstsq(X, y, rcond=None)[0],
            "λ 没有起作用：你的结果就是不加惩罚的最小二乘解。"
            "惩罚项要进入方程（λ 很大时，除 θ₀ 外的系数应当被明显压小）。",
        ),
        Mistake(
            lambda X, y, lam: _penalised(X, y, len(y) * lam, skip=None),
            "常数项 θ₀ 也受了惩罚：本章的惩罚从 j = 1 开始求和，"
            "X 的第一列（全为 1）对应的 θ₀ 不受惩罚。",
        ),
        Mistake(
            lambda X, y, lam: _penalised(X, y, len(y) * lam, skip=-1),
            "不受惩罚的系数选错了：应当是 θ₀（X 的第一列，全为 1 的那一列），而不是最后一个系数。",
        ),
        Mistake(
            lambda X, y, lam: _penalised(X, y, lam, skip=None),
            "有两处与本章的约定不同：θ₀ 也受了惩罚（它不该受惩罚），"
            "λ 的缩放也差了 m 倍（本章 J_λ 的误差项是平均，惩罚项不除以 m）。",
        ),
        Mistake(lambda X, y, lam: _penalised(X, y, lam), _SCALE_M),
        Mistake(lambda X, y, lam: _penalised(X, y, len(y) ** 2 * lam), _SCALE_M),
        Mistake(lambda X, y, lam: _penalised(X, y, 2 * len(y) * lam), _SCALE_2),
        Mistake(lambda X, y, lam: _penalised(X, y, len(y) * lam / 2), _SCALE_2),
        Mistake(lambda X, y, lam: _every_entry(X, y, len(y) * lam), _EVERY_ENTRY),
        Mistake(lambda X, y, lam: _every_entry(X, y, lam), _EVERY_ENTRY),
        Mistake(
            _outer_gram,
            "用了 X Xᵀ（m×m），而不是 XᵀX（n×n）：这一组输入的样本数恰好等于特征数，"
            "形状碰巧对上了，数值却不对。对照一下每个矩阵的形状。",
        ),
        Mistake(
            _wrong_sign,
            "惩罚项的符号反了：惩罚是加在损失上的，它应当把系数压小，你的结果却把系数推大了。",
        ),
    ),
    properties=_unreliable,
    # X is left out: perturbed, it would no longer be the polynomial features of its column x;
    # lam is left out: perturbed, it could become negative.
    sensitive=("y",),
    unstable_hint=_CONDITION_HINT,
)


def ridge_fit(func: Callable[..., np.ndarray]) -> CheckResult:
    """Check ``func(X, y, lam)``, the ridge-regression weights of the chapter's objective.

    The objective is ``J(θ) = (1/2m) Σ_i (X θ − y)_i² + (lam/2) Σ_{j≥1} θ_j²``: the first
    column of X is all ones and its weight θ₀ (the constant term) is not penalised. Its
    minimiser solves ``(XᵀX / m + lam D) θ = Xᵀy / m`` with ``D = diag(0, 1, …, 1)``.

    Parameters
    ----------
    func : callable
        ``func(X, y, lam)`` with ``X`` of shape (m, n), a design matrix whose first column is
        all ones (the hidden ones are polynomial features ``1, x, …, x^(n-1)``), ``y`` of
        shape (m,) and ``lam`` ≥ 0 a float; it must return the minimiser θ, a float array of
        shape (n,). One hidden X has nearly parallel columns, where forming ``XᵀX`` loses
        most digits. The arguments are passed by name.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> import numpy as np
    >>> def penalise_all(X, y, lam):
    ...     return np.linalg.solve(X.T @ X / len(y) + lam * np.eye(X.shape[1]), X.T @ y / len(y))
    >>> ridge_fit(penalise_all).message.startswith("常数项 θ₀ 也受了惩罚")
    True
    """
    return run_check(_RIDGE, func)
