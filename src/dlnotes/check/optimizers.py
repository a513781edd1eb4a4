"""Checker for the optimizers chapter: one step of SGD with momentum, as ``torch.optim.SGD``."""

# The learner returns two arrays, (new_param, new_velocity), and the engine compares one: the
# checker first checks the pair itself on every case (two float arrays of the parameter's
# shape), then runs the engine on the pair stacked into one (2, ...) array. There is no extreme
# case: the step has no exp, square or division, so no input overflows a correct formula
# without overflowing the reference too.

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import (
    ATOL,
    RTOL,
    Case,
    CheckResult,
    Exercise,
    Mistake,
    _call,
    _changed_inputs,
    _check_function,
    run_check,
)
from dlnotes.optim import SGD

__all__ = ["momentum_step"]

_NAMES = ("new_param", "new_velocity")


def _case(rng, shape, lr, momentum, label, velocity=None) -> Case:
    """velocity: None (random), or a function of the gradient."""
    grad = rng.standard_normal(shape)
    velocity = 2 * rng.standard_normal(shape) if velocity is None else velocity(grad)
    return Case(
        {
            "param": rng.standard_normal(shape),
            "grad": grad,
            "velocity": velocity,
            "lr": lr,
            "momentum": momentum,
        },
        label,
    )


def _cases() -> list[Case]:
    rng = np.random.default_rng(2059)
    cases = [
        _case(rng, (3,), 0.1, 0.9, "训练中途的一步（3 个参数，lr = 0.1，momentum = 0.9）"),
        _case(rng, (2, 4), 0.05, 0.6, "形状为 (2, 4) 的参数（lr = 0.05，momentum = 0.6）"),
        _case(rng, (5,), 0.5, 0.9, "第一步（velocity 全为 0）", velocity=np.zeros_like),
        _case(
            rng,
            (4, 1),
            0.3,
            0.99,
            "速度与梯度方向相反的一步（momentum = 0.99）",
            velocity=lambda g: -3 * np.sign(g) * rng.uniform(0.5, 1.5, g.shape),
        ),
    ]
    return cases


def _step(param, grad, velocity, lr, momentum) -> tuple[np.ndarray, np.ndarray]:
    """One step of dlnotes.optim.SGD from the given velocity buffer."""
    new_param = np.array(param, dtype=float)
    opt = SGD([new_param], lr=lr, momentum=momentum)
    opt.state[0]["velocity"] = np.array(velocity, dtype=float)  # as if after earlier steps
    opt.step([grad])
    return new_param, opt.state[0]["velocity"]


def _reference(param, grad, velocity, lr, momentum) -> np.ndarray:
    return np.stack(_step(param, grad, velocity, lr, momentum))


def _wrong(rule: Callable[..., tuple[np.ndarray, np.ndarray]]) -> Callable[..., np.ndarray]:
    """A wrong rule (p, g, v, lr, mu) -> (new p, new v), called by name and stacked."""
    return lambda param, grad, velocity, lr, momentum: np.stack(
        rule(param, grad, velocity, lr, momentum)
    )


def _halves_problem(got: np.ndarray, case: Case) -> str | None:
    expected = _reference(**case.args)
    right = [np.allclose(g, e, rtol=RTOL, atol=ATOL) for g, e in zip(got, expected)]
    if right == [False, True]:
        return (
            "new_velocity 对了，但 new_param 不对：再检查参数的更新"
            "（用的是哪个速度、学习率乘在哪里、朝哪个方向走）。"
        )
    if right == [True, False]:
        return "new_param 对了，但 new_velocity 不对：返回的速度应当是这一步更新后的速度。"
    return None


_MOMENTUM = Exercise(
    name="momentum_step",
    example_call="check.momentum_step(my_momentum)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(
            _wrong(
                lambda p, g, v, lr, mu: (p - lr * (mu * v + (1 - mu) * g), mu * v + (1 - mu) * g)
            ),
            "新梯度在速度里被乘上了 (1 − momentum)：这是滑动平均的写法（Adam 的一阶矩这样算，"
            "torch.optim.SGD 要设 dampening 才会这样）；本章动量法的新梯度不乘这个系数。",
        ),
        Mistake(
            _wrong(lambda p, g, v, lr, mu: (p - (mu * v + lr * g), mu * v + lr * g)),
            "学习率乘进了速度里：本章（torch.optim.SGD）的速度只累积梯度，学习率在更新参数时才乘上。"
            "两种写法只在学习率始终不变时走出同样的轨迹，返回的速度也不一样。",
        ),
        Mistake(
            _wrong(lambda p, g, v, lr, mu: (p + (mu * v - lr * g), mu * v - lr * g)),
            "这是把速度当成“位移”的另一种常见写法（速度里带着负号和学习率，参数加上速度）；"
            "本题按本章表格里 torch.optim.SGD 的约定：速度只累积梯度。",
        ),
        Mistake(
            _wrong(lambda p, g, v, lr, mu: (p + lr * (mu * v + g), mu * v + g)),
            "方向反了：参数朝着速度的方向走，这是梯度上升，损失会变大。",
        ),
        Mistake(
            _wrong(lambda p, g, v, lr, mu: (p - lr * (mu * v + g), v)),
            "返回的 new_velocity 还是传入的旧速度：速度本身也要更新，下一步要接着用它。",
        ),
        Mistake(
            _wrong(lambda p, g, v, lr, mu: (p - lr * v, mu * v + g)),
            "更新参数时用的是旧的速度：要先把这一步的梯度累积进速度，再用新的速度更新参数。",
        ),
        Mistake(
            _wrong(lambda p, g, v, lr, mu: (p - lr * (g + mu * (mu * v + g)), mu * v + g)),
            "这是 Nesterov 动量（先按速度往前看一步）的参数更新；本题是普通的动量法。",
        ),
        Mistake(
            _wrong(lambda p, g, v, lr, mu: (p - lr * g, mu * v + g)),
            "参数只按这一步的梯度更新，没有用上速度：动量法的参数沿速度走。",
        ),
        Mistake(
            _wrong(lambda p, g, v, lr, mu: (p - (mu * v + g), mu * v + g)),
            "没有乘学习率 lr：参数每一步沿速度走多远，由 lr 决定。",
        ),
        Mistake(
            _wrong(lambda p, g, v, lr, mu: (p - lr * (v + g), v + g)),
            "动量系数 momentum 没有用上：旧的速度每一步都要按它衰减。",
        ),
        Mistake(
            _wrong(lambda p, g, v, lr, mu: (p - lr * (v + mu * g), v + mu * g)),
            "动量系数乘错了对象：momentum 衰减的是旧的速度，而不是新的梯度。",
        ),
        Mistake(
            lambda **args: _reference(**args)[::-1],
            "两个返回值的顺序反了：先返回 new_param，再返回 new_velocity。",
        ),
    ),
    properties=_halves_problem,
    # lr and momentum are left out: perturbed, they could leave the ranges SGD accepts.
    sensitive=("param", "grad", "velocity"),
)


def _pair_problem(got: object, case: Case) -> str | None:
    """What is wrong with the returned pair itself, or None when it is two (param-like) arrays."""
    shape = case.args["param"].shape
    if got is None:
        return (
            "你的函数返回了 None：是不是忘了写 return？"
            "本题要返回 new_param, new_velocity 两个数组。"
        )
    if isinstance(got, np.ndarray):
        return (
            "你的函数只返回了一个数组：本题要返回两个数组，"
            "写成 return new_param, new_velocity（先参数，后速度）。"
        )
    if not isinstance(got, (tuple, list)):
        return (
            f"你的函数返回了 {type(got).__name__} 类型的值，"
            "本题要返回两个 NumPy 数组：return new_param, new_velocity。"
        )
    if len(got) != 2:
        return f"你的函数返回了 {len(got)} 个值，本题要返回两个：new_param 和 new_velocity。"
    for name, value in zip(_NAMES, got):
        if not isinstance(value, np.ndarray):
            return f"返回的 {name} 是 {type(value).__name__} 类型的值，应当是 NumPy 数组。"
        if value.dtype.kind != "f":
            return f"返回的 {name} 是 {value.dtype} 类型，应当是浮点数组。"
        if value.dtype != np.float64:
            return f"返回的 {name} 是 {value.dtype}，而输入是 float64：计算中途降低了精度。"
        if value.shape != shape:
            return f"{name} 的形状不对：应为 {shape}（与 param 相同），得到 {value.shape}。"
    return None


def _stacked(func: Callable[..., object]) -> Callable[..., object]:
    """func with its (new_param, new_velocity) stacked into one array for the engine."""

    @functools.wraps(func)
    def stacked(**args):
        got = func(**args)
        if isinstance(got, (tuple, list)) and len(got) == 2:
            try:
                return np.stack(got)
            except ValueError:  # shapes differ: already reported by _pair_problem
                return got
        return got

    return stacked


def momentum_step(func: Callable[..., object]) -> CheckResult:
    """Check ``func(param, grad, velocity, lr, momentum)``, one step of SGD with momentum.

    The rule is ``torch.optim.SGD``'s (no dampening): the velocity accumulates the gradient,
    ``b_t = momentum * b_{t-1} + g_t``, and the parameter moves against it,
    ``theta_t = theta_{t-1} - lr * b_t``; a zero velocity gives the first step, ``b_1 = g_1``.

    Parameters
    ----------
    func : callable
        ``func(param, grad, velocity, lr, momentum)`` with ``param``, ``grad`` and ``velocity``
        (the velocity after the previous step) float arrays of one shape, ``lr`` > 0 and
        ``momentum`` in [0, 1) floats; it must return ``(new_param, new_velocity)``, two float
        arrays of that shape, without changing its inputs. The arguments are passed by name.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> def dampened(param, grad, velocity, lr, momentum):
    ...     new_velocity = momentum * velocity + (1 - momentum) * grad
    ...     return param - lr * new_velocity, new_velocity
    >>> momentum_step(dampened).message.startswith("新梯度在速度里被乘上了")
    True
    """
    _check_function(func, _MOMENTUM)
    for case in _MOMENTUM.cases():
        got, _, error = _call(func, case)
        if error is not None:
            break  # the engine reports the exception
        problem = _pair_problem(got, case)
        if problem is not None:
            changed = _changed_inputs(func, case)
            if got is None and changed:
                problem = (
                    f"你的函数返回了 None，而且原地改动了传入的数组 {'、'.join(changed)}"
                    "（像 torch.optim 那样）："
                    "本题不修改输入，而是返回新的 new_param, new_velocity。"
                )
            return CheckResult(False, problem)
    return run_check(_MOMENTUM, _stacked(func))
