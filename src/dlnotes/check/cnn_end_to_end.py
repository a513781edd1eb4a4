"""Checker for the CNN end-to-end chapter: batch normalisation of (N, C, H, W) in training mode."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check
from dlnotes.layers.batchnorm import batchnorm_forward

__all__ = ["batch_norm_train"]

_HUGE_LABEL = "有一个通道的值都在 1e8 附近、彼此相差很小的输入"
_UNRELIABLE = (
    f"数值不可靠：普通的输入都通过了，但在{_HUGE_LABEL}上结果不对。"
    "如果先求平方的平均、再减去均值的平方，就是两个约 1e16 的数相减，"
    "有效数字几乎全部抵消，剩下的只是舍入误差（甚至可能是负数）。"
    "想想怎样先把这个很大的公共部分去掉，再求方差。"
)


def _case(rng: np.random.Generator, shape: tuple[int, ...], eps: float, label: str) -> Case:
    c = shape[1]
    scale = rng.uniform(0.3, 3.0, c).reshape(1, c, 1, 1)
    offset = rng.uniform(-4.0, 4.0, c).reshape(1, c, 1, 1)
    return Case(
        {
            "x": offset + scale * rng.standard_normal(shape),
            "gamma": rng.uniform(0.5, 2.0, c),
            "beta": rng.uniform(-1.5, 1.5, c),
            "eps": eps,
        },
        label,
    )


def _huge_offset_case(rng: np.random.Generator) -> Case:
    shape = (4, 3, 2, 4)  # N*H*W = 32, a power of 2: the batch mean of channel 1 is exact
    x = rng.standard_normal(shape)
    # 1e8 plus noise on a 1/1024 grid: every partial sum is exact in float64, so any correct
    # two-pass implementation agrees with the reference to round-off, whatever its summation
    # order; E[x^2] - E[x]^2 loses everything (x^2 ~ 1e16, where float64 steps by 2).
    x[:, 1] = 1e8 + np.round(0.5 * x[:, 1] * 1024) / 1024
    return Case(
        {"x": x, "gamma": rng.uniform(0.5, 2.0, 3), "beta": rng.uniform(-1.5, 1.5, 3), "eps": 1e-5},
        _HUGE_LABEL,
        extreme=True,
    )


def _cases() -> list[Case]:
    rng = np.random.default_rng(2071)
    return [
        _case(rng, (4, 3, 5, 5), 1e-5, "一个小批量（N=4, C=3, H=W=5）"),
        _case(rng, (2, 4, 2, 1), 1e-3, "每个通道只有 4 个值的输入（N=2, H=2, W=1）"),
        _case(rng, (3, 2, 4, 6), 0.1, "eps 较大（0.1）的输入"),
        _case(rng, (1, 5, 3, 3), 1e-5, "只有 1 个样本的输入（N=1）"),
        _huge_offset_case(rng),
    ]


def _reference(x, gamma, beta, eps):
    c = x.shape[1]
    return batchnorm_forward(x, gamma, beta, np.zeros(c), np.ones(c), train=True, eps=eps)[0]


def _per_channel(v: np.ndarray) -> np.ndarray:
    return v.reshape(1, -1, 1, 1)


def _normalise(x, gamma, beta, eps, axes=(0, 2, 3), ddof=0, how="std"):
    """Batch norm with its statistics over ``axes``; ``how`` names a wrong denominator."""
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True, ddof=ddof)
    denominator = {
        "std": np.sqrt(var + eps),
        "eps-outside": np.sqrt(var) + eps,
        "no-eps": np.sqrt(var),
        "var": var + eps,
    }[how]
    return _per_channel(gamma) * (x - mean) / denominator + _per_channel(beta)


def _xhat(x, eps):
    return _normalise(x, np.ones(x.shape[1]), np.zeros(x.shape[1]), eps)


_SCOPE = "统计量的范围不对："

_BATCH_NORM = Exercise(
    name="batch_norm_train",
    example_call="check.batch_norm_train(my_bn)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(
            lambda x, gamma, beta, eps: _normalise(x, gamma, beta, eps, axes=(1, 2, 3)),
            _SCOPE + "你对每个样本分别求了均值和方差（那是层归一化的做法）。"
            "批归一化对每个通道分别统计，用的是这个通道在整批样本、所有位置上的值。",
        ),
        Mistake(
            lambda x, gamma, beta, eps: _normalise(x, gamma, beta, eps, axes=(2, 3)),
            _SCOPE + "你对每个样本的每个通道分别统计，只用了 H、W 两个轴。"
            "批归一化的统计量还要跨过整批样本，也就是 N 轴。",
        ),
        Mistake(
            lambda x, gamma, beta, eps: _normalise(x, gamma, beta, eps, axes=(0,)),
            _SCOPE + "你对每个通道的每个像素位置分别统计，只用了 N 轴。"
            "卷积层后面的批归一化让同一个通道的所有位置共用一组统计量，还要跨过 H、W 两个轴。",
        ),
        Mistake(
            lambda x, gamma, beta, eps: _normalise(x, gamma, beta, eps, axes=(0, 1, 2, 3)),
            _SCOPE
            + "你把所有通道的值混在一起，只求了一个均值和一个方差。批归一化对每个通道分别统计。",
        ),
        Mistake(
            lambda x, gamma, beta, eps: _normalise(x, gamma, beta, eps, ddof=1),
            "方差用的是无偏估计（除以个数减 1，即 ddof=1）。训练时归一化用的是有偏方差，"
            "除以个数本身，与 PyTorch 相同；无偏方差只用来更新滑动方差。",
        ),
        Mistake(
            lambda x, gamma, beta, eps: _normalise(x, gamma, beta, eps, how="eps-outside"),
            "eps 加错了位置：它应当加在方差上、放在平方根里面，而不是加在开方之后的标准差上。",
        ),
        Mistake(
            lambda x, gamma, beta, eps: _normalise(x, gamma, beta, eps, how="no-eps"),
            "没有用上 eps：它加在方差上，防止方差很小时除以一个接近 0 的数。",
        ),
        Mistake(
            lambda x, gamma, beta, eps: _normalise(x, gamma, beta, eps, how="var"),
            "除以的是方差：标准化要除以标准差（方差加上 eps 之后开平方），否则尺度不对。",
        ),
        Mistake(
            lambda x, gamma, beta, eps: _normalise(x, beta, gamma, eps),
            "gamma 和 beta 用反了：gamma 是缩放（乘在标准化的结果上），beta 是平移（加在最后）。",
        ),
        Mistake(
            lambda x, gamma, beta, eps: _per_channel(gamma) * _xhat(x, eps),
            "漏掉了 beta：标准化并乘以 gamma 之后，还要加上每个通道的平移 beta。",
        ),
        Mistake(
            lambda x, gamma, beta, eps: _xhat(x, eps) + _per_channel(beta),
            "漏掉了 gamma：标准化的结果要先乘以每个通道的缩放 gamma，再加 beta。",
        ),
        Mistake(
            lambda x, gamma, beta, eps: _xhat(x, eps),
            "只做了标准化：还要乘以每个通道的 gamma、再加上 beta。",
        ),
    ),
    properties=lambda got, case: _UNRELIABLE if case.extreme else None,
    sensitive=("x", "gamma", "beta"),
)


def batch_norm_train(func: Callable[..., np.ndarray]) -> CheckResult:
    """Check a learner's training-mode batch norm ``func(x, gamma, beta, eps)`` on hidden inputs.

    Parameters
    ----------
    func : callable
        ``func(x, gamma, beta, eps)`` with ``x`` of shape (N, C, H, W), ``gamma`` and ``beta``
        of shape (C,) and a float ``eps``; it must return the (N, C, H, W) float array of
        ``x`` normalised with the batch mean and the biased batch variance of each channel
        (over N, H and W), then scaled by ``gamma`` and shifted by ``beta``, as
        ``torch.nn.BatchNorm2d`` does in training. The arguments are passed by name.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> import numpy as np
    >>> def per_sample(x, gamma, beta, eps):
    ...     mean = x.mean(axis=(1, 2, 3), keepdims=True)
    ...     var = x.var(axis=(1, 2, 3), keepdims=True)
    ...     return gamma[:, None, None] * (x - mean) / np.sqrt(var + eps) + beta[:, None, None]
    >>> batch_norm_train(per_sample).message.startswith("统计量的范围不对")
    True
    """
    result = run_check(_BATCH_NORM, func)
    if not result and result.message.startswith(f"数值不稳定：在{_HUGE_LABEL}"):
        return CheckResult(False, _UNRELIABLE)  # the engine's hint is about exp, not variance
    return result
