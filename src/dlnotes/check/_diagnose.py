"""The engine behind every exercise checker: run a learner's function on hidden inputs, compare
it with the reference, and say in Chinese what is wrong without revealing the answer.

An exercise is described by an :class:`Exercise`: the reference function, the hidden test cases
and the typical wrong answers (:class:`Mistake`), each with its own diagnosis. :func:`run_check`
tries, for the first case that does not match, in this order: the function raised, it changed
its inputs, it returned the wrong type or dtype, a known typical mistake, the wrong shape (or the
transpose), NaN or inf (numerically unstable), a constant factor or the wrong sign, a violated
property of the answer (for example rows that do not sum to 1), an input that the result
ignores. Messages name shapes, dtypes, argument names and factors, never reference values or
formulas.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

# Agreement that two correct float64 implementations always reach (summation order differs).
RTOL = 1e-6
ATOL = 1e-9


@dataclass(frozen=True)
class CheckResult:
    """The verdict of a checker: truthy when correct; its repr is the Chinese message.

    >>> CheckResult(True, "正确！")
    正确！
    >>> bool(CheckResult(False, "形状不对"))
    False
    """

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return self.message

    __str__ = __repr__


@dataclass(frozen=True)
class Case:
    """One hidden test input: keyword arguments for the function, and a label for messages."""

    args: dict[str, object]
    label: str = "隐藏的测试输入"
    # A case built to break unstable formulas (huge logits): NaN or inf here means instability.
    extreme: bool = False


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: a function with the reference's signature and its diagnosis."""

    func: Callable[..., object]
    message: str


@dataclass(frozen=True)
class Exercise:
    """Everything a checker needs: see the module docstring."""

    name: str
    example_call: str
    reference: Callable[..., np.ndarray]
    cases: Callable[[], list[Case]]
    mistakes: Sequence[Mistake] = ()
    # Named diagnoses of a result that has the right shape but the wrong values.
    properties: Callable[[np.ndarray, Case], str | None] | None = None
    # Arguments the result must depend on (perturbed to test it); floats only.
    sensitive: Sequence[str] = field(default_factory=tuple)
    # What to think about when an extreme case gives NaN or inf.
    unstable_hint: str = "（想想怎样避免 exp 溢出）"


def _ok(message: str) -> CheckResult:
    return CheckResult(True, message)


def _fail(message: str) -> CheckResult:
    return CheckResult(False, message)


def _check_function(func: object, exercise: Exercise) -> None:
    if callable(func):
        return
    kind = type(func).__name__
    raise TypeError(
        f"请把函数本身传给检查，例如 {exercise.example_call}（函数名后面不加括号）；"
        f"收到的是一个 {kind} 类型的值，不是函数"
    )


def _call(
    func: Callable[..., object], case: Case
) -> tuple[object, list[str], BaseException | None]:
    """Call func on a copy of the case's inputs; return (result, warning texts, exception)."""
    args = copy.deepcopy(case.args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = func(**args)
        except Exception as error:  # any learner error becomes a message
            return None, [], error
    return result, [str(w.message) for w in caught], None


def _changed_inputs(func: Callable[..., object], case: Case) -> list[str]:
    args = copy.deepcopy(case.args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            func(**args)
        except Exception:  # already reported by _call
            return []
    return [
        name
        for name, value in case.args.items()
        if isinstance(value, np.ndarray) and not np.array_equal(value, args[name], equal_nan=True)
    ]


def _reference(exercise: Exercise, case: Case) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(exercise.reference(**copy.deepcopy(case.args)))


def _type_problem(got: object, expected: np.ndarray) -> str | None:
    if got is None:
        return "你的函数返回了 None：是不是忘了写 return？"
    if isinstance(got, tuple):
        return f"你的函数返回了一个有 {len(got)} 个元素的 tuple，本题只需要返回一个 NumPy 数组。"
    module = type(got).__module__.split(".")[0]
    if module == "torch":
        return "你的函数返回了 torch.Tensor，本题要求用 NumPy 计算并返回 NumPy 数组。"
    if isinstance(got, list):
        return (
            "你的函数返回了 list，请返回 NumPy 数组（用 NumPy 的运算，或最后转换成 NumPy 数组）。"
        )
    if not isinstance(got, np.ndarray):
        return f"你的函数返回了 {type(got).__name__} 类型的值，应当返回 NumPy 数组。"
    if got.dtype.kind != "f":
        return f"返回的数组是 {got.dtype} 类型，应当是浮点数组（检查是否用了整数运算或比较运算）。"
    if got.dtype != expected.dtype:
        return f"返回的数组是 {got.dtype}，而输入是 {expected.dtype}：计算中途降低了精度。"
    return None


def _shape_problem(got: np.ndarray, expected: np.ndarray) -> str | None:
    if got.shape == expected.shape:
        return None
    if got.ndim == 2 and got.shape == expected.shape[::-1] and np.allclose(got.T, expected):
        return f"结果是转置的：形状应为 {expected.shape}，得到 {got.shape}。"
    return f"形状不对：应为 {expected.shape}，得到 {got.shape}。"


def _close(got: np.ndarray, expected: np.ndarray) -> bool:
    return got.shape == expected.shape and bool(
        np.allclose(got, expected, rtol=RTOL, atol=ATOL, equal_nan=False)
    )


def _scale_problem(got: np.ndarray, expected: np.ndarray) -> str | None:
    e, g = expected.ravel(), got.ravel()
    norm = float(e @ e)
    if norm > 0:
        factor = float(g @ e) / norm
        if factor != 0 and _close(got, factor * expected):
            if abs(factor + 1) < 1e-6:
                return "符号反了：结果正好是正确答案的相反数。"
            return f"差一个常数倍：结果约为正确答案的 {factor:.2f} 倍。"
    offset = float(np.mean(g - e))
    if offset != 0 and _close(got, expected + offset):
        return "差一个常数：结果的每个元素都比正确答案多（或少）同一个数。"
    return None


def _ignored_input(func: Callable[..., object], exercise: Exercise, case: Case) -> str | None:
    rng = np.random.default_rng(12345)
    for name in exercise.sensitive:
        value = case.args[name]
        changed = Case({**case.args, name: value + 0.1 * rng.standard_normal(np.shape(value))})
        expected = _reference(exercise, case)
        if _close(_reference(exercise, changed), expected):
            continue
        before, _, error_a = _call(func, case)
        after, _, error_b = _call(func, changed)
        if error_a or error_b or not isinstance(before, np.ndarray):
            continue
        if isinstance(after, np.ndarray) and np.array_equal(before, after):
            return f"结果不随 {name} 变化：是不是漏掉了与 {name} 有关的那一部分？"
    return None


def _error_message(error: BaseException, case: Case) -> str:
    if isinstance(error, NotImplementedError):
        return (
            "还没有实现：函数抛出了 NotImplementedError。把 raise 那一行换成你的实现，再运行一次。"
        )
    text = str(error).strip().splitlines()
    detail = f"：{text[0][:200]}" if text else ""
    return f"你的函数在{case.label}上出错了，抛出 {type(error).__name__}{detail}"


def _diagnose(func: Callable[..., object], exercise: Exercise, case: Case) -> str | None:
    """None when func agrees with the reference on case, else the diagnosis."""
    got, _, error = _call(func, case)
    if error is not None:
        return _error_message(error, case)
    changed = _changed_inputs(func, case)
    if changed:
        names = "、".join(changed)
        return (
            f"你的函数改动了传入的数组 {names}（例如用了 -= 或 /= 这样的原地运算）。"
            "请不要修改输入：先算出新的数组，再对它运算。"
        )
    expected = _reference(exercise, case)
    problem = _type_problem(got, expected)
    if problem is not None:
        return problem
    for mistake in exercise.mistakes:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                wrong = np.asarray(mistake.func(**copy.deepcopy(case.args)))
            except Exception:  # a mistake that cannot even run on this case
                continue
        finite = np.isfinite(got).all()
        if finite and _close(got, wrong) and not _close(got, expected):
            return mistake.message
    problem = _shape_problem(got, expected)
    if problem is not None:
        return problem
    if not np.isfinite(got).all():
        if case.extreme:
            return (
                f"数值不稳定：在{case.label}上结果出现了 NaN 或 inf，"
                f"而这样的输入本可以算出有限的结果{exercise.unstable_hint}。"
            )
        return f"在{case.label}上结果出现了 NaN 或 inf。"
    if _close(got, expected):
        return None
    problem = _scale_problem(got, expected)
    if problem is None and exercise.properties is not None:
        problem = exercise.properties(got, case)
    problem = problem or _ignored_input(func, exercise, case)
    if problem is not None:
        return problem
    scale = max(float(np.max(np.abs(expected))), 1e-12)
    error_size = float(np.max(np.abs(got - expected))) / scale
    return (
        f"结果不对：形状和类型都对，但在{case.label}上数值不符"
        f"（最大误差约为答案量级的 {error_size:.0%}）。再对照一遍本章的公式。"
    )


def run_check(exercise: Exercise, func: object) -> CheckResult:
    """Check func against the exercise on every hidden case; the first problem found is named."""
    _check_function(func, exercise)
    cases = exercise.cases()
    notes: set[str] = set()
    for case in cases:
        problem = _diagnose(func, exercise, case)
        if problem is not None:
            return _fail(problem)
        notes.update(_call(func, case)[1])
    name = getattr(func, "__name__", "你的函数")
    message = f"正确！{name} 在 {len(cases)} 组隐藏的测试输入上都与参考实现一致。"
    if notes:
        first = sorted(notes)[0]
        message += f"不过计算中出现了警告（{first}），可以想想怎样让它更稳定。"
    return _ok(message)
