"""Checker for the recurrent-networks chapter: one step of a plain (tanh) RNN cell."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check
from dlnotes.layers.recurrent import rnn_cell_forward

__all__ = ["rnn_step"]


def _cases() -> list[Case]:
    rng = np.random.default_rng(2027)
    cases = []
    for n, d, h, label in (
        (2, 3, 4, "一个小批量（N=2, D=3, H=4）"),
        (1, 5, 2, "只有 1 个样本的输入"),
        (4, 2, 6, "N=4, D=2, H=6 的输入"),
    ):
        cases.append(
            Case(
                {
                    "x": rng.standard_normal((n, d)),
                    "h": rng.standard_normal((n, h)),
                    "w_ih": 0.5 * rng.standard_normal((h, d)),
                    "w_hh": 0.5 * rng.standard_normal((h, h)),
                    "b": 0.5 * rng.standard_normal(h),
                },
                label,
            )
        )
    return cases


def _pre_activation(x, h, w_ih, w_hh, b):
    return x @ w_ih.T + h @ w_hh.T + b


def _reference(x, h, w_ih, w_hh, b):
    return rnn_cell_forward(x, h, w_ih, w_hh, b, np.zeros_like(b))[0]


_RNN_STEP = Exercise(
    name="rnn_step",
    example_call="check.rnn_step(my_rnn_step)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(_pre_activation, "忘了非线性激活：新的隐藏状态要经过 tanh。"),
        Mistake(
            lambda **a: 1 / (1 + np.exp(-_pre_activation(**a))),
            "激活函数用错了：本章的 RNN 单元用 tanh，不是 sigmoid。",
        ),
        Mistake(
            lambda **a: np.maximum(_pre_activation(**a), 0),
            "激活函数用错了：本章的 RNN 单元用 tanh，不是 ReLU。",
        ),
        Mistake(
            lambda x, h, w_ih, w_hh, b: np.tanh(x @ w_ih.T + h @ w_hh + b),
            "w_hh 的方向用反了：它是方阵，形状对得上，但它的第 i 行对应新状态的第 i 个单元"
            "（布局与 torch.nn.RNNCell 相同）。",
        ),
        Mistake(
            lambda x, h, w_ih, w_hh, b: np.tanh(x @ w_ih.T + h @ w_hh.T),
            "漏掉了偏置 b。",
        ),
    ),
    sensitive=("x", "h", "w_ih", "w_hh", "b"),
)


def rnn_step(func: Callable[..., np.ndarray]) -> CheckResult:
    """Check a learner's RNN step ``func(x, h, w_ih, w_hh, b)`` on hidden inputs.

    Parameters
    ----------
    func : callable
        ``func(x, h, w_ih, w_hh, b)`` with ``x`` (N, D), ``h`` (N, H), ``w_ih`` (H, D),
        ``w_hh`` (H, H) laid out as in ``torch.nn.RNNCell``, and one bias ``b`` (H,); it must
        return the new hidden state, a float array of shape (N, H). The arguments are passed
        by name.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> import numpy as np
    >>> rnn_step(lambda x, h, w_ih, w_hh, b: np.tanh(x @ w_ih.T + b))
    结果不随 h 变化：是不是漏掉了与 h 有关的那一部分？
    """
    return run_check(_RNN_STEP, func)
