"""Checker for the activations-and-losses chapter: the gradient of the softmax cross-entropy."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check
from dlnotes.layers.activations import _sigmoid
from dlnotes.layers.losses import softmax, softmax_cross_entropy

__all__ = ["cross_entropy_grad"]


def _case(rng: np.random.Generator, n: int, k: int, label: str) -> Case:
    return Case({"logits": 3 * rng.standard_normal((n, k)), "labels": rng.integers(0, k, n)}, label)


def _cases() -> list[Case]:
    rng = np.random.default_rng(2047)
    # The square case comes first: a one-hot with rows and columns swapped still has the right
    # shape there (elsewhere it raises IndexError), so its own diagnosis can be given.
    cases = [
        _case(rng, 4, 4, "4 个样本、4 类的 logits"),
        _case(rng, 1, 5, "只有 1 个样本（5 类）的 logits"),
        _case(rng, 6, 3, "6 个样本、3 类的 logits"),
        _case(rng, 8, 10, "8 个样本、10 类的 logits"),
    ]
    signs = np.array([[1, -1, 1, -1], [-1, 1, 1, -1], [1, 1, -1, -1]])
    cases.append(
        Case(
            {
                "logits": 1000.0 * signs + 5 * rng.standard_normal((3, 4)),
                "labels": np.array([1, 1, 3]),
            },
            "绝对值很大的 logits（约 ±1000）",
            extreme=True,
        )
    )
    return cases


def _reference(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return softmax_cross_entropy(logits, labels)[1]


def _one_hot(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return np.eye(logits.shape[1])[labels]


def _residual(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """softmax(logits) minus the one-hot labels, not yet averaged."""
    return softmax(logits, axis=1) - _one_hot(logits, labels)


def _swapped_one_hot(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    one_hot = np.zeros_like(logits)
    one_hot[labels, np.arange(len(labels))] = 1  # IndexError unless N == K
    return (softmax(logits, axis=1) - one_hot) / len(labels)


def _rows_problem(got: np.ndarray, case: Case) -> str | None:
    # With N == K a transposed answer has the right shape, which the engine does not test.
    if got.shape[0] == got.shape[1] and np.allclose(got.T, _reference(**case.args)):
        return "结果是转置的：每一行应当是一个样本的 K 个分量，每一列对应一个类别。"
    if not np.allclose(got.sum(axis=1), 0, rtol=0, atol=1e-9):
        return (
            "每个样本（每一行）的梯度分量之和应当为 0：检查概率是否在每一行内归一化，"
            "独热向量是否每行恰好有一个 1。"
        )
    return None


_CROSS_ENTROPY = Exercise(
    name="cross_entropy_grad",
    example_call="check.cross_entropy_grad(my_ce_grad)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(
            _residual,
            "差一个与样本数 N 有关的倍数：损失是 N 个样本交叉熵的平均，不是总和。",
        ),
        Mistake(
            lambda logits, labels: _residual(logits, labels) / logits.shape[1],
            "除以的是类别数 K，应当是样本数 N：损失是对 N 个样本取平均。",
        ),
        Mistake(
            lambda logits, labels: _residual(logits, labels) / logits.size,
            "差一个与类别数 K 有关的倍数：损失只对 N 个样本取平均，"
            "每个样本的交叉熵是对 K 个类别求和，不要再对类别平均（例如对整个数组取 mean）。",
        ),
        Mistake(
            lambda logits, labels: softmax(logits, axis=1) / len(labels),
            "没有减去真实标签的独热向量：你的结果只有 softmax 概率那一部分。",
        ),
        Mistake(
            lambda logits, labels: -_residual(logits, labels) / len(labels),
            "符号反了：你算的是 −L 的梯度（概率与独热向量相减的次序反了）。",
        ),
        Mistake(
            _swapped_one_hot,
            "独热向量的行列下标对调了：第 n 个样本（第 n 行）的 1 应当落在它的标签所指的那一列。",
        ),
        Mistake(
            lambda logits, labels: (
                (softmax(logits, axis=1) - _one_hot(logits, logits.argmax(axis=1))) / len(labels)
            ),
            "独热向量用的是预测的类别（logits 最大的那一类），而不是真实标签 labels。",
        ),
        Mistake(
            lambda logits, labels: (_sigmoid(logits) - _one_hot(logits, labels)) / len(labels),
            "用 sigmoid 代替了 softmax：多类交叉熵的概率要在每个样本的 K 个类别之间归一化，"
            "而不是对每个 logit 各自做 sigmoid。",
        ),
        Mistake(
            lambda logits, labels: (
                (softmax(logits, axis=0) - _one_hot(logits, labels)) / len(labels)
            ),
            "softmax 的方向不对：概率应当在每一行（一个样本的 K 个类别）内归一化，"
            "你的结果是在每一列（同一类别的 N 个样本）上归一化的。",
        ),
        Mistake(
            lambda logits, labels: (
                -_one_hot(logits, labels) / (softmax(logits, axis=1) * len(labels))
            ),
            "求的是对概率 p 的梯度，本题要对 logits 求梯度（p 是 logits 经过 softmax 的结果，"
            "别忘了链式法则；本章把损失展开成 logits 的函数再求导）。",
        ),
    ),
    properties=_rows_problem,
    sensitive=("logits",),
)


def cross_entropy_grad(func: Callable[..., np.ndarray]) -> CheckResult:
    """Check ``func(logits, labels)``, the gradient of the mean softmax cross-entropy.

    Parameters
    ----------
    func : callable
        ``func(logits, labels)`` with ``logits`` of shape (N, K), the scores of N samples over
        K classes, and ``labels`` of shape (N,), integer class indices in [0, K); it must return
        the (N, K) float array of the gradient of ``L = mean_n(-log softmax(logits)[n, y_n])``
        (the mean over the batch, as ``torch.nn.functional.cross_entropy``) with respect to
        ``logits``, finite also for logits of size 1000. The arguments are passed by name.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> import numpy as np
    >>> from dlnotes.layers import softmax
    >>> def summed(logits, labels):
    ...     return softmax(logits, axis=1) - np.eye(logits.shape[1])[labels]
    >>> cross_entropy_grad(summed)
    差一个与样本数 N 有关的倍数：损失是 N 个样本交叉熵的平均，不是总和。
    """
    return run_check(_CROSS_ENTROPY, func)
