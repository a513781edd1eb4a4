"""Checker for the backpropagation chapter: the backward pass of a fully connected layer."""

# The learner returns three arrays of different shapes, (dx, dw, db), and the engine compares
# one: the checker first checks the triple itself on every case (three float arrays shaped like
# x, w and b, with its own diagnoses of swapped, transposed and wrongly summed parts), then runs
# the engine on the three joined into one flat array, whose per-part diagnoses say which of the
# three is wrong. There is no extreme case: the backward pass is three sums of products, with no
# exp, square or division, so no input overflows a correct formula without overflowing the
# reference too.

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
from dlnotes.layers.dense import linear_backward, linear_forward

__all__ = ["dense_backward"]

_NAMES = ("dx", "dw", "db")
_LIKE = {"dx": "x", "dw": "w", "db": "b"}


def _case(rng: np.random.Generator, n: int, d: int, m: int, label: str) -> Case:
    return Case(
        {
            "dout": rng.standard_normal((n, m)),
            "x": rng.standard_normal((n, d)),
            "w": 0.5 * rng.standard_normal((d, m)),
        },
        label,
    )


def _cases() -> list[Case]:
    rng = np.random.default_rng(2083)
    return [
        # w is square here, so that dout @ w has the right shape (elsewhere it raises)
        _case(rng, 4, 3, 3, "4 个样本、3 个输入、3 个输出的小批量"),
        _case(rng, 5, 2, 4, "5 个样本、2 个输入、4 个输出的小批量"),
        _case(rng, 1, 4, 2, "只有 1 个样本（4 个输入、2 个输出）的批量"),
        _case(rng, 6, 5, 3, "6 个样本、5 个输入、3 个输出的小批量"),
        _case(rng, 3, 2, 7, "3 个样本、2 个输入、7 个输出的小批量"),
    ]


def _gradients(dout: np.ndarray, x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, ...]:
    _, cache = linear_forward(x, w, np.zeros(w.shape[1]))
    return linear_backward(dout, cache)


def _joined(parts) -> np.ndarray:
    return np.concatenate([np.ravel(p) for p in parts])


def _reference(dout: np.ndarray, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return _joined(_gradients(dout, x, w))


def _split(joined: np.ndarray, case: Case) -> list[np.ndarray]:
    """The flat array cut back into dx, dw and db."""
    x, w = case.args["x"], case.args["w"]
    sizes = np.cumsum([x.size, w.size])
    return np.split(joined, sizes)


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def _part_problem(name: str, got: np.ndarray, expected: np.ndarray) -> str:
    """What one wrong part looks like: all zeros, the opposite sign, a factor, or just wrong."""
    if not got.any():
        return f"{name} 全是 0"
    norm = float(expected @ expected)
    if norm > 0:
        factor = float(got @ expected) / norm
        if factor != 0 and _close(got, factor * expected):
            if abs(factor + 1) < 1e-6:
                return f"{name} 的符号反了"
            return f"{name} 差一个常数倍，约为正确答案的 {factor:.2f} 倍"
    return f"{name} 不对"


def _parts_problem(got: np.ndarray, case: Case) -> str | None:
    """Which of dx, dw and db is wrong; None when all three are (the engine goes on)."""
    expected = _split(_reference(**case.args), case)
    parts = _split(got, case)
    right = [name for name, g, e in zip(_NAMES, parts, expected) if _close(g, e)]
    if not right:
        return None
    wrong = [
        _part_problem(name, g, e)
        for name, g, e in zip(_NAMES, parts, expected)
        if name not in right
    ]
    return f"{' 和 '.join(right)} 对了，但 {'；'.join(wrong)}（在{case.label}上）。"


def _wrong(rule: Callable[..., tuple]) -> Callable[..., np.ndarray]:
    """A wrong rule (dout, x, w) -> (dx, dw, db), called by name and joined."""
    return lambda dout, x, w: _joined(rule(dout, x, w))


_BATCH_FACTOR = (
    "多除了批量大小 N：dout 已经是损失对 out 的梯度（损失若是平均，1/N 已经算在 dout 里），"
    "这里把每个样本的贡献加起来即可。"
)
_DENSE = Exercise(
    name="dense_backward",
    example_call="check.dense_backward(my_backward)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(
            _wrong(lambda dout, x, w: (dout @ w.T, x.T @ dout, dout.mean(axis=0))),
            "dx 和 dw 对了，但 db 差一个与批量大小 N 有关的倍数：同一个 b 被广播到了全部 "
            "N 个样本上，它的梯度要对批量求和，而不是取平均。",
        ),
        Mistake(
            _wrong(lambda dout, x, w: (dout @ w.T, x.T @ dout / len(x), dout.sum(axis=0))),
            "dx 和 db 对了，但 dw " + _BATCH_FACTOR,
        ),
        Mistake(
            _wrong(lambda dout, x, w: (dout @ w.T, x.T @ dout / len(x), dout.mean(axis=0))),
            "dx 对了，但 dw 和 db 都" + _BATCH_FACTOR,
        ),
        Mistake(
            _wrong(lambda dout, x, w: (dout @ w, x.T @ dout, dout.sum(axis=0))),
            "dx 乘的是 w，而不是 w 的转置：这一组输入的 w 恰好是方阵，形状碰巧对上了，"
            "数值却不对。对照每个量的形状：dout 是 (N, M)，w 是 (D, M)，dx 要是 (N, D)。",
        ),
    ),
    properties=_parts_problem,
    sensitive=("dout", "x", "w"),
)


def _value_problem(name: str, value: object, shape: tuple[int, ...]) -> str | None:
    if not isinstance(value, np.ndarray):
        if name == "db" and np.ndim(value) == 0:
            return (
                f"返回的 db 是一个数：b 有 {shape[0]} 个分量，db 也要有 {shape[0]} 个"
                "（每个输出一个），求和时要指定沿哪一维。"
            )
        return f"返回的 {name} 是 {type(value).__name__} 类型的值，应当是 NumPy 数组。"
    if value.dtype.kind != "f":
        return f"返回的 {name} 是 {value.dtype} 类型，应当是浮点数组。"
    if value.dtype != np.float64:
        return f"返回的 {name} 是 {value.dtype}，而输入是 float64：计算中途降低了精度。"
    return None


def _shape_problem(name: str, value: np.ndarray, expected: np.ndarray, case: Case) -> str | None:
    if value.shape == expected.shape:
        return None
    like = f"应为 {expected.shape}（与 {_LIKE[name]} 相同），得到 {value.shape}"
    if value.ndim == 2 and value.shape == expected.shape[::-1] and _close(value.T, expected):
        return f"{name} 是转置的：{like}。"
    if name == "db":
        dout = case.args["dout"]
        if value.size == expected.size and _close(value.ravel(), expected):
            return (
                f"db 的数值对了，形状却不对：{like}。求和时不要保留被求和的那一维"
                "（去掉 keepdims=True），b 是一维数组。"
            )
        if _close(value, dout.sum(axis=1)):
            return (
                f"db 的求和方向不对：{like}。你把每个样本的各个输出加在了一起；"
                "b 的每个分量被所有样本共用，要对批量（样本那一维）求和。"
            )
    return f"{name} 的形状不对：{like}。"


def _triple_problem(got: object, case: Case) -> str | None:
    """What is wrong with the returned triple itself, or None when it has the right shapes."""
    if got is None:
        return "你的函数返回了 None：是不是忘了写 return？本题要返回 dx, dw, db 三个数组。"
    if isinstance(got, np.ndarray):
        return (
            "你的函数只返回了一个数组：本题要返回三个数组，写成 return dx, dw, db"
            "（依次是对 x、w、b 的梯度）。"
        )
    if not isinstance(got, (tuple, list)):
        return (
            f"你的函数返回了 {type(got).__name__} 类型的值，"
            "本题要返回三个 NumPy 数组：return dx, dw, db。"
        )
    if len(got) != 3:
        return f"你的函数返回了 {len(got)} 个值，本题要返回三个：dx、dw 和 db。"
    expected = _gradients(**case.args)
    for name, value, e in zip(_NAMES, got, expected):
        problem = _value_problem(name, value, e.shape)
        if problem is not None:
            return problem
    dx, dw, _ = got
    x, w = case.args["x"], case.args["w"]
    if x.shape != w.shape and dx.shape == w.shape and dw.shape == x.shape:
        return (
            f"dx 与 dw 对调了：dx 要与 x 同形 {x.shape}，dw 要与 w 同形 {w.shape}，"
            f"你返回的第一个是 {dx.shape}，第二个是 {dw.shape}。返回的顺序是 dx, dw, db。"
        )
    for name, value, e in zip(_NAMES, got, expected):
        problem = _shape_problem(name, value, e, case)
        if problem is not None:
            return problem
    return None


def _flat(func: Callable[..., object]) -> Callable[..., object]:
    """func with its (dx, dw, db) joined into one flat array for the engine."""

    @functools.wraps(func)
    def flat(**args):
        got = func(**args)
        if isinstance(got, (tuple, list)) and len(got) == 3:
            return _joined(got)
        return got

    return flat


def dense_backward(func: Callable[..., object]) -> CheckResult:
    """Check ``func(dout, x, w)``, the backward pass of the fully connected layer ``x @ w + b``.

    Parameters
    ----------
    func : callable
        ``func(dout, x, w)`` with ``dout`` of shape (N, M), the gradient of the loss with
        respect to the layer's output ``out = x @ w + b``, ``x`` of shape (N, D) (one sample per
        row) and ``w`` of shape (D, M), the chapter's layout; it must return ``(dx, dw, db)``,
        three float arrays of the shapes of ``x``, ``w`` and ``b``: (N, D), (D, M) and (M,),
        without changing its inputs. The arguments are passed by name.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> def averaged(dout, x, w):
    ...     return dout @ w.T, x.T @ dout, dout.mean(axis=0)
    >>> dense_backward(averaged).message.startswith("dx 和 dw 对了，但 db 差一个")
    True
    """
    _check_function(func, _DENSE)
    for case in _DENSE.cases():
        got, _, error = _call(func, case)
        if error is not None:
            break  # the engine reports the exception
        problem = _triple_problem(got, case)
        if problem is not None:
            changed = _changed_inputs(func, case)
            if got is None and changed:
                problem = (
                    f"你的函数返回了 None，而且原地改动了传入的数组 {'、'.join(changed)}："
                    "本题不修改输入，而是返回新的 dx, dw, db。"
                )
            return CheckResult(False, problem)
    return run_check(_DENSE, _flat(func))
