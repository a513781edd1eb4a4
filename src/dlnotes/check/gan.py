"""Checker for the GAN chapter: the gradient of the non-saturating generator loss."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check

__all__ = ["nonsaturating_grad"]


def _cases() -> list[Case]:
    rng = np.random.default_rng(2029)
    return [
        Case({"logits": 2 * rng.standard_normal(5)}, "5 个生成样本的 logits"),
        Case({"logits": 2 * rng.standard_normal(8)}, "8 个生成样本的 logits"),
        Case({"logits": 3 - 2 * rng.random(3)}, "判别器都信以为真（logit 为正）的 3 个样本"),
        Case(
            {"logits": np.array([-800.0, -40.0, 0.0, 40.0, 800.0])},
            "绝对值很大的 logits（±800）",
            extreme=True,
        ),
    ]


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -a))  # 1 / (1 + e^-a) without overflow


def _reference(logits: np.ndarray) -> np.ndarray:
    # L = mean(-log sigmoid(a)), so dL/da_i = -(1 - sigmoid(a_i)) / N = -sigmoid(-a_i) / N
    return -_sigmoid(-logits) / logits.size


_NONSATURATING = Exercise(
    name="nonsaturating_grad",
    example_call="check.nonsaturating_grad(my_grad)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(
            lambda logits: -_sigmoid(logits) / logits.size,
            "这是原始（饱和）生成器损失 log(1 − D) 的梯度；本题要的是非饱和损失 −log D 的梯度。",
        ),
        Mistake(
            lambda logits: _sigmoid(logits) / logits.size,
            "这是判别器在生成样本上的损失 −log(1 − D) 的梯度，不是生成器的非饱和损失的梯度。",
        ),
        Mistake(
            lambda logits: -1 / (_sigmoid(logits) * logits.size),
            "求的是对 D 的梯度，本题要对 logit a 求梯度"
            "（D 是 a 经过 sigmoid 的结果，别忘了链式法则）。",
        ),
        Mistake(
            lambda logits: -_sigmoid(-logits),
            "差一个与样本数 N 有关的倍数：损失是 N 个样本的平均，不是总和。",
        ),
        Mistake(
            lambda logits: -_sigmoid(-logits) / logits.size**2,
            "差一个与样本数 N 有关的倍数：对平均值求导时，1/N 只出现一次。",
        ),
    ),
    sensitive=("logits",),
)


def nonsaturating_grad(func: Callable[[np.ndarray], np.ndarray]) -> CheckResult:
    """Check ``func(logits)``, the gradient of the mean non-saturating generator loss.

    Parameters
    ----------
    func : callable
        ``func(logits)`` with ``logits`` of shape (N,), the discriminator's logits ``a_i`` on N
        generated samples (``D = sigmoid(a)``); it must return the (N,) gradient of
        ``mean(-log D)`` with respect to the logits.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> import numpy as np
    >>> nonsaturating_grad(lambda logits: np.zeros(3))
    形状不对：应为 (5,)，得到 (3,)。
    """
    return run_check(_NONSATURATING, func)
