"""Checker for the gradient-descent chapter: one full-batch step on the half-MSE cost J(w, b)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check
from dlnotes.linear.gradient_descent import half_mse_gradients

__all__ = ["descent_step"]

_SQUARE_HINT = "（x 的平方会超出浮点数的范围：想想哪一步先算了平方，能不能不算它）"


def _case(rng: np.random.Generator, m: int, eta: float, slope: float, label: str) -> Case:
    x = rng.uniform(-0.5, 2.0, m)
    y = slope * x + 3.0 + 0.3 * rng.standard_normal(m)
    w, b = rng.uniform(-1.0, 1.0, 2)
    return Case({"w": float(w), "b": float(b), "x": x, "y": y, "eta": eta}, label)


def _cases() -> list[Case]:
    rng = np.random.default_rng(2081)
    cases = [
        _case(rng, 6, 0.1, 2.0, "6 个样本、学习率 0.1 的数据"),
        _case(rng, 1, 0.3, -1.0, "只有 1 个样本的数据"),
        _case(rng, 40, 0.5, 4.0, "40 个样本、学习率 0.5 的数据"),
    ]
    x = 1e160 * rng.uniform(1.0, 2.0, 4)
    cases.append(
        Case(
            {
                "w": 1e-20 * float(rng.uniform(1.0, 2.0)),
                "b": 1e140 * float(rng.uniform(-1.0, 1.0)),
                "x": x,
                "y": 1e140 * rng.standard_normal(4),
                "eta": 0.1,
            },
            "数值极大的数据（x 约 1e160）",
            extreme=True,
        )
    )
    return cases


def _reference(w: float, b: float, x: np.ndarray, y: np.ndarray, eta: float) -> np.ndarray:
    dw, db = half_mse_gradients(x, y, w, b)
    return np.array([w - eta * dw, b - eta * db])


def _error(w, b, x, y):
    return w * x + b - y


def _ascent(w, b, x, y, eta):
    return np.array(
        [w + eta * np.mean(_error(w, b, x, y) * x), b + eta * np.mean(_error(w, b, x, y))]
    )


def _summed(w, b, x, y, eta):
    return np.array(
        [w - eta * np.sum(_error(w, b, x, y) * x), b - eta * np.sum(_error(w, b, x, y))]
    )


def _doubled(w, b, x, y, eta):
    return _reference(w, b, x, y, 2 * eta)


def _halved(w, b, x, y, eta):
    return _reference(w, b, x, y, eta / 2)


def _sequential(w, b, x, y, eta):
    w_new = w - eta * np.mean(_error(w, b, x, y) * x)
    return np.array([w_new, b - eta * np.mean(_error(w_new, b, x, y))])


def _b_times_x(w, b, x, y, eta):
    dw = np.mean(_error(w, b, x, y) * x)
    return np.array([w - eta * dw, b - eta * dw])


def _no_eta(w, b, x, y, eta):
    return _reference(w, b, x, y, 1.0)


def _gradient(w, b, x, y, eta):
    return np.array(half_mse_gradients(x, y, w, b))


_DESCENT = Exercise(
    name="descent_step",
    example_call="check.descent_step(my_step)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(
            _ascent,
            "方向反了：这是梯度上升，走完这一步 J 会变大。梯度指向 J 上升最快的方向，"
            "下降要朝它的反方向走。",
        ),
        Mistake(
            _summed,
            "差一个与样本数 m 有关的倍数：本章的 J 是 m 个样本损失的平均，"
            "梯度也要取平均，而不是求和。",
        ),
        Mistake(
            _doubled,
            "步子正好大了一倍：本章的 J 带着 ½，它与平方求导得到的 2 正好抵消，梯度里不再有 2。",
        ),
        Mistake(
            _halved,
            "步子正好小了一半：本章的 J 带着 ½，但平方求导还会带出一个 2，两者抵消，"
            "梯度里不再有 ½。",
        ),
        Mistake(
            _sequential,
            "更新 b 时用了已经更新过的 w：两个梯度都要在同一个旧的 (w, b) 上算出来，"
            "再同时更新两个参数（先把两个梯度都算好，再改 w 和 b）。",
        ),
        Mistake(
            _b_times_x,
            "b 的梯度用错了：b 不乘任何输入，它的梯度里不应出现 x（与 w 的梯度不同）。",
        ),
        Mistake(_no_eta, "没有乘学习率 eta：每一步沿负梯度走多远，由 eta 决定。"),
        Mistake(
            _gradient,
            "返回的是梯度本身，不是走完一步之后的参数：本题要返回更新后的 w 和 b。",
        ),
        Mistake(
            lambda w, b, x, y, eta: _reference(w, b, x, y, eta)[::-1],
            "顺序反了：返回的数组第一个元素应是新的 w，第二个是新的 b。",
        ),
    ),
    sensitive=("w", "b", "x", "y", "eta"),
    unstable_hint=_SQUARE_HINT,
)


def descent_step(func: Callable[..., np.ndarray]) -> CheckResult:
    """Check ``func(w, b, x, y, eta)``, one full-batch gradient-descent step on J(w, b).

    The cost is the chapter's ``J(w, b) = (1/2m) Σ_i (w x_i + b − y_i)²``, half the mean squared
    error over the m samples.

    Parameters
    ----------
    func : callable
        ``func(w, b, x, y, eta)`` with ``x`` and ``y`` of shape (m,), the m samples, and ``w``,
        ``b`` (the current parameters) and ``eta`` (the learning rate) floats; it must return
        the (2,) float array ``[w_new, b_new]`` after one step along the negative gradient of J,
        both partial derivatives taken at the old (w, b). The arguments are passed by name.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> import numpy as np
    >>> def ascent(w, b, x, y, eta):
    ...     error = w * x + b - y
    ...     return np.array([w + eta * np.mean(error * x), b + eta * np.mean(error)])
    >>> descent_step(ascent).message.startswith("方向反了")
    True
    """
    return run_check(_DESCENT, func)
