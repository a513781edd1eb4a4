"""Checker for the attention chapter: scaled dot-product attention with a mask."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check
from dlnotes.layers.attention import scaled_dot_product_attention

__all__ = ["masked_attention"]


def _mask(rng: np.random.Generator, length: int, source: int) -> np.ndarray:
    mask = rng.random((length, source)) < 0.6
    mask[np.arange(length), rng.integers(0, source, length)] = True  # every query sees a key
    return mask


def _cases() -> list[Case]:
    rng = np.random.default_rng(2028)
    cases = []
    for length, source, e, ev, label in (
        (3, 5, 4, 2, "L=3 个查询、S=5 个键、E=4、Ev=2 的输入"),
        (4, 4, 8, 3, "L=S=4、E=8、Ev=3 的输入"),
        (2, 6, 2, 5, "L=2、S=6、E=2、Ev=5 的输入"),
    ):
        cases.append(
            Case(
                {
                    "q": rng.standard_normal((length, e)),
                    "k": rng.standard_normal((source, e)),
                    "v": rng.standard_normal((source, ev)),
                    "mask": _mask(rng, length, source),
                },
                label,
            )
        )
    cases.append(
        Case(
            {
                "q": 60 * rng.standard_normal((3, 4)),
                "k": 60 * rng.standard_normal((5, 4)),
                "v": rng.standard_normal((5, 2)),
                "mask": _mask(rng, 3, 5),
            },
            "分数很大（约上千）的输入",
            extreme=True,
        )
    )
    causal = np.tril(np.ones((4, 4), dtype=bool))
    cases.append(
        Case(
            {
                "q": rng.standard_normal((4, 3)),
                "k": rng.standard_normal((4, 3)),
                "v": rng.standard_normal((4, 2)),
                "mask": causal,
            },
            "因果掩码（只能看前面的位置）的输入",
        )
    )
    return cases


def _softmax(scores: np.ndarray, axis: int = -1) -> np.ndarray:
    scores = scores - scores.max(axis=axis, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=axis, keepdims=True)


def _scores(q, k, scale):
    return q @ k.T / scale


def _masked(scores, mask):
    return np.where(mask, scores, -1e30)  # finite, so a fully masked column gives no NaN


def _reference(q, k, v, mask):
    return scaled_dot_product_attention(q, k, v, mask=mask)[0]


_ATTENTION = Exercise(
    name="masked_attention",
    example_call="check.masked_attention(my_attention)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(
            lambda q, k, v, mask: scaled_dot_product_attention(q, k, v, mask=mask)[1],
            "返回的是注意力权重，本题要的是用权重对 v 加权求和之后的输出。",
        ),
        Mistake(
            lambda q, k, v, mask: _softmax(_masked(_scores(q, k, 1.0), mask)) @ v,
            "缺少缩放：分数要先除以一个与维数 E 有关的数，再做 softmax。",
        ),
        Mistake(
            lambda q, k, v, mask: _softmax(_masked(_scores(q, k, q.shape[1]), mask)) @ v,
            "缩放因子不对：分数除以的数用错了（回顾本章对点积方差的推导）。",
        ),
        Mistake(
            lambda q, k, v, mask: _softmax(_scores(q, k, math.sqrt(q.shape[1]))) @ v,
            "没有用上 mask：被屏蔽的位置仍然分到了注意力。",
        ),
        Mistake(
            lambda q, k, v, mask: (
                _softmax(_masked(_scores(q, k, math.sqrt(q.shape[1])), ~mask)) @ v
            ),
            "mask 的含义反了：mask 为 True 的位置才可以被关注。",
        ),
        Mistake(
            lambda q, k, v, mask: _softmax(_scores(q, k, math.sqrt(q.shape[1])) * mask) @ v,
            "被屏蔽位置的分数只设成了 0：softmax 之后它们仍有不小的权重，应让它们的权重恰好为 0。",
        ),
        Mistake(
            lambda q, k, v, mask: (
                _softmax(_masked(_scores(q, k, math.sqrt(q.shape[1])), mask), axis=0) @ v
            ),
            "softmax 的方向不对：应当让每个查询（每一行）对所有键的权重之和为 1。",
        ),
    ),
    sensitive=("q", "k", "v"),
)


def masked_attention(func: Callable[..., np.ndarray]) -> CheckResult:
    """Check a learner's masked attention ``func(q, k, v, mask)`` on hidden inputs.

    Parameters
    ----------
    func : callable
        ``func(q, k, v, mask)`` with queries ``q`` (L, E), keys ``k`` (S, E), values ``v``
        (S, Ev) and a boolean ``mask`` (L, S), True where query i may attend to key j (each
        row has at least one True); it must return the (L, Ev) float array of outputs. The
        arguments are passed by name.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> import numpy as np
    >>> masked_attention(lambda q, k, v, mask: np.zeros((len(q), v.shape[1])))
    结果不随 q 变化：是不是漏掉了与 q 有关的那一部分？
    """
    return run_check(_ATTENTION, func)
