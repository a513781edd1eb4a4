"""Checker for the classification chapter: a numerically stable softmax over the rows."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check
from dlnotes.layers.losses import log_softmax, softmax

__all__ = ["softmax_rows"]


def _cases() -> list[Case]:
    rng = np.random.default_rng(2026)
    return [
        Case({"z": 3 * rng.standard_normal((4, 3))}, "一组普通的 logits（4 个样本、3 类）"),
        Case({"z": 3 * rng.standard_normal((1, 5))}, "只有 1 个样本的输入"),
        Case({"z": 3 * rng.standard_normal((6, 2))}, "6 个样本、2 类的输入"),
        Case(
            {"z": 1000 + 5 * rng.standard_normal((3, 4))},
            "很大的 logits（约 1000）",
            extreme=True,
        ),
        Case(
            {"z": -1000 + 5 * rng.standard_normal((3, 4))},
            "很小的 logits（约 −1000）",
            extreme=True,
        ),
    ]


def _exp_normalised(z: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _rows_problem(got: np.ndarray, case: Case) -> str | None:
    if (got < 0).any():
        return "出现了负的概率：softmax 的每个输出都应当在 0 和 1 之间。"
    if not np.allclose(got.sum(axis=1), 1, rtol=1e-6):
        if got.shape[0] > 1 and np.allclose(got.sum(axis=0), 1, rtol=1e-6):
            return "归一化的方向不对：每一行（一个样本）之和应为 1，你的结果是每一列之和为 1。"
        return "没有归一化：每一行（一个样本的各类概率）之和应为 1。"
    return None


_SOFTMAX = Exercise(
    name="softmax_rows",
    example_call="check.softmax_rows(my_softmax)",
    reference=lambda z: softmax(z, axis=1),
    cases=_cases,
    mistakes=(
        Mistake(
            lambda z: _exp_normalised(z, axis=0),
            "归一化的方向不对：每一行（一个样本）之和应为 1，你的结果是每一列之和为 1。",
        ),
        Mistake(
            lambda z: log_softmax(z, axis=1),
            "返回的像是概率的对数（log-softmax），本题要的是概率本身。",
        ),
        Mistake(
            lambda z: _exp_normalised(-z, axis=1),
            "方向反了：分数越大，概率应当越大；你的结果正好相反（检查指数里的符号）。",
        ),
    ),
    properties=_rows_problem,
    sensitive=("z",),
)


def softmax_rows(func: Callable[[np.ndarray], np.ndarray]) -> CheckResult:
    """Check a learner's row-wise softmax ``func(z)`` on hidden inputs, large logits included.

    Parameters
    ----------
    func : callable
        ``func(z)`` with ``z`` of shape (N, K), the logits of N samples over K classes; it must
        return the (N, K) float array whose rows are the softmax probabilities.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> import numpy as np
    >>> result = softmax_rows(lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))
    >>> bool(result), result.message.startswith("数值不稳定")
    (False, True)
    """
    return run_check(_SOFTMAX, func)
