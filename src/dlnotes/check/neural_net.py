"""Checker for the neural-net chapter: the mini-batch gradient dW of one linear neuron's loss."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check
from dlnotes.linear.neural_net import NeuralNet

__all__ = ["neuron_gradients"]

_SQUARE_HINT = (
    "（x 的元素两两相乘会超出浮点数的范围：想想哪一步先算了 x 与自身的乘积，能不能不算它）"
)


def _case(rng: np.random.Generator, batch: int, d: int, label: str) -> Case:
    x = rng.uniform(-1.0, 2.0, (batch, d))
    y = x @ rng.uniform(-3.0, 3.0, (d, 1)) + 1.0 + 0.3 * rng.standard_normal((batch, 1))
    W = rng.uniform(-1.0, 1.0, (d, 1))
    return Case({"x": x, "y": y, "W": W, "b": float(rng.uniform(-1.0, 1.0))}, label)


def _cases() -> list[Case]:
    rng = np.random.default_rng(2087)
    cases = [
        _case(rng, batch, d, label)
        for batch, d, label in (
            (3, 3, "3 个样本、3 个特征的小批量"),
            (8, 2, "8 个样本、2 个特征的小批量"),
            (1, 4, "只有 1 个样本（4 个特征）的批量"),
            (5, 1, "5 个样本、1 个特征的小批量"),
        )
    ]
    cases.append(
        Case(
            {
                "x": 1e160 * rng.uniform(1.0, 2.0, (4, 2)),
                "y": 1e140 * rng.standard_normal((4, 1)),
                "W": 1e-20 * rng.uniform(-1.0, 1.0, (2, 1)),
                "b": 1e140 * float(rng.uniform(-1.0, 1.0)),
            },
            "数值极大的特征（约 1e160）",
            extreme=True,
        )
    )
    return cases


def _reference(x: np.ndarray, y: np.ndarray, W: np.ndarray, b: float) -> np.ndarray:
    net = NeuralNet(eta=1.0, n_features=x.shape[1])
    net.W, net.b = W, b
    return net.backward(x, y, net.forward(x))[0]


def _error(x, y, W, b):
    return x @ W + b - y


_NEURON = Exercise(
    name="neuron_gradients",
    example_call="check.neuron_gradients(my_grads)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(
            lambda x, y, W, b: x @ _error(x, y, W, b) / len(x),
            "用了 x 而不是 x 的转置：这一批恰好是方阵，形状碰巧对上了，数值却不对。"
            "想一想 x 的行和列各代表什么（对照本章的形状表）。",
        ),
        Mistake(
            lambda x, y, W, b: _error(x, y, W, b).T @ x / len(x),
            "结果是 (1, d) 的行向量，是 dW 的转置：W 是 (d, 1) 的列向量，"
            "梯度要与它同形，才能直接相减（对照本章的形状表）。",
        ),
        Mistake(
            lambda x, y, W, b: np.mean(x * _error(x, y, W, b), axis=0),
            "数值对了，形状却是 (d,)：W 是 (d, 1) 的列向量，梯度也要是 (d, 1)。",
        ),
        Mistake(
            lambda x, y, W, b: x.T @ _error(x, y, W, b),
            "差一个与批量大小 B 有关的倍数：本章的损失是这一批样本的平均，梯度也要取平均，"
            "而不是求和。",
        ),
        Mistake(
            lambda x, y, W, b: x.T @ _error(x, y, W, b) / len(x) ** 2,
            "差一个与批量大小 B 有关的倍数：对平均值求导时，除以 B 只出现一次。",
        ),
        Mistake(
            lambda x, y, W, b: -x.T @ _error(x, y, W, b) / len(x),
            "符号反了：误差的方向取反了（是预测减标签，还是标签减预测？）。",
        ),
        Mistake(
            lambda x, y, W, b: np.mean(_error(x, y, W, b), axis=0, keepdims=True),
            "这是对偏置 b 的梯度（一批误差的平均），本题要对权重 W 求梯度，形状是 (d, 1)。",
        ),
        Mistake(
            lambda x, y, W, b: np.mean(_error(x, y, W, b), axis=0),
            "这是对偏置 b 的梯度（一批误差的平均），本题要对权重 W 求梯度，形状是 (d, 1)。",
        ),
        Mistake(
            lambda x, y, W, b: _error(x, y, W, b) @ W.T / len(x),
            "这是损失对输入 x 的梯度（形状与 x 相同），本题要对权重 W 求梯度，形状是 (d, 1)。",
        ),
        Mistake(
            lambda x, y, W, b: _error(x, y, W, b) @ W.T,
            "这是损失对输入 x 的梯度（形状与 x 相同），本题要对权重 W 求梯度，形状是 (d, 1)。",
        ),
        Mistake(
            lambda x, y, W, b: x.T @ (x @ W - y) / len(x),
            "误差里漏掉了偏置 b：预测值是 xW 加上 b。",
        ),
    ),
    sensitive=("x", "y", "W", "b"),
    unstable_hint=_SQUARE_HINT,
)


def neuron_gradients(func: Callable[..., np.ndarray]) -> CheckResult:
    """Check ``func(x, y, W, b)``, the gradient dW of the mini-batch loss of one linear neuron.

    The neuron computes ``z = x W + b`` and the loss is the chapter's
    ``J = (1/2B) Σ_i (z_i − y_i)²``, half the mean squared error over the batch of B samples.

    Parameters
    ----------
    func : callable
        ``func(x, y, W, b)`` with ``x`` of shape (B, d) (one sample per row), ``y`` of shape
        (B, 1), ``W`` of shape (d, 1) and ``b`` a float; it must return ``∂J/∂W``, a float
        array of shape (d, 1). The arguments are passed by name.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> import numpy as np
    >>> neuron_gradients(lambda x, y, W, b: x.T @ (x @ W + b - y))
    差一个与批量大小 B 有关的倍数：本章的损失是这一批样本的平均，梯度也要取平均，而不是求和。
    """
    return run_check(_NEURON, func)
