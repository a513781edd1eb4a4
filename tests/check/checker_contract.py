"""What every exercise checker of dlnotes.check promises, as assertions the checker tests share.

Each test module keeps its own test functions (so the report names them as before) and calls
these helpers for the parts that are the same for every checker. A checker is a public function
such as check.line_fit; its exercise is the Exercise object behind it, such as _LINE_FIT.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pytest

from dlnotes.check._diagnose import Case, CheckResult, Exercise, _reference

# the fixed-point formats a message could print a number in; repr(float) is always checked too
WITH_TWO_DECIMALS = (".2f", ".3f", ".4f", ".3g")
FROM_THREE_DECIMALS = (".3f", ".4f", ".3g")


def has_a_point(text: str) -> bool:
    """True for "2.003", false for "2" or "1e+05": a text without a point says nothing."""
    return "." in text


def not_a_bare_integer(text: str) -> bool:
    """True unless the text is an integer such as "2" or "-3" (as in "2.00 倍")."""
    return not text.lstrip("-").isdigit()


def formatted_values(
    values: object,
    formats: Iterable[str] = WITH_TWO_DECIMALS,
    keep: Callable[[str], bool] | None = None,
) -> set[str]:
    """The texts that would reveal one of `values` in a message.

    Each finite value that is not (almost) an integer, in every one of `formats` and as its
    repr; `keep`, where given, drops the texts that would reveal nothing.
    """
    found = set()
    for v in np.asarray(values, dtype=float).ravel():
        if not np.isfinite(v) or abs(v - round(v)) < 1e-3:  # "1" or "0.000" reveal nothing
            continue
        texts = {format(v, spec) for spec in formats} | {repr(float(v))}
        found.update(t for t in texts if keep is None or keep(t))
    return found


def assert_reveals_nothing(
    message: str,
    exercise: Exercise,
    formats: Iterable[str] = WITH_TWO_DECIMALS,
    keep: Callable[[str], bool] | None = None,
    also_forbidden: Iterable[str] = (),
) -> None:
    """No reference value of any hidden case is in the message, nor any code ("np.", "[")."""
    formats = tuple(formats)
    for case in exercise.cases():
        for text in formatted_values(_reference(exercise, case), formats, keep):
            assert text not in message, f"{message!r} reveals {text}"
    for text in ("np.", "[", *also_forbidden):
        assert text not in message, f"{message!r} shows {text!r}"


def assert_cases_are_fixed(exercise: Exercise) -> list[Case]:
    """Two calls of exercise.cases() give the same inputs; returns the first call's cases."""
    first, second = exercise.cases(), exercise.cases()
    assert len(first) == len(second)
    for a, b in zip(first, second):
        for name in a.args:
            np.testing.assert_array_equal(a.args[name], b.args[name])
    return first


def assert_first_case_tells_mistakes_apart(
    exercise: Exercise, cases: list[Case], rtol: float = 1e-3, shapes_may_differ: bool = False
) -> None:
    """On cases[0], every mistake's answer differs from the reference and from each other.

    With shapes_may_differ, two answers of different shapes count as different; otherwise they
    are compared as np.allclose does (broadcast, or an error where they cannot be).
    """
    case = cases[0]
    answers = [np.asarray(m.func(**case.args)) for m in exercise.mistakes]
    answers.append(_reference(exercise, case))
    for i, one in enumerate(answers):
        for j in range(i + 1, len(answers)):
            other = answers[j]
            if shapes_may_differ and one.shape != other.shape:
                continue
            assert not np.allclose(one, other, rtol=rtol), (i, j, one, other)


def assert_cases_are_fixed_and_tell_mistakes_apart(
    exercise: Exercise, rtol: float = 1e-3, shapes_may_differ: bool = False
) -> list[Case]:
    """Both of the above; returns the cases for any further checks of the caller's own."""
    cases = assert_cases_are_fixed(exercise)
    assert_first_case_tells_mistakes_apart(exercise, cases, rtol, shapes_may_differ)
    return cases


def assert_each_mistake_has_its_own_message(
    checker: Callable[[object], CheckResult],
    exercise: Exercise,
    distinct: bool = True,
    wrap: Callable[[Callable[..., object]], Callable[..., object]] | None = None,
) -> None:
    """Each listed mistake fails with exactly its own message; with `distinct`, no two alike.

    `wrap` turns a mistake's func into what a learner would hand in (the engine's mistakes
    return one joined array where the learner returns several).
    """
    results = [checker(m.func if wrap is None else wrap(m.func)) for m in exercise.mistakes]
    messages = [repr(result) for result in results]
    assert messages == [m.message for m in exercise.mistakes]
    assert not any(results)
    if distinct:
        assert len(set(messages)) == len(messages)


def assert_passes(result: CheckResult, func: Callable[..., object]) -> None:
    """A correct answer passes, and the message names the function."""
    assert result, repr(result)
    assert repr(result).startswith("正确！") and func.__name__ in repr(result)


def assert_diagnosed(result: CheckResult, words: str) -> None:
    """A wrong answer fails with a message that contains `words`."""
    assert not result
    assert words in repr(result), repr(result)
    assert not repr(result).startswith("正确")


def assert_says_not_implemented(result: CheckResult) -> None:
    """A stub that raises NotImplementedError fails with a message that says so."""
    assert not result and "还没有实现" in repr(result)


def assert_refuses_a_non_function(
    checker: Callable[[object], CheckResult], not_a_function: object, example_call: str
) -> pytest.ExceptionInfo[TypeError]:
    """Passing a value instead of a function raises a TypeError that shows the right call."""
    with pytest.raises(TypeError, match=r"请把函数本身传给检查.*不是函数") as info:
        checker(not_a_function)
    assert example_call in str(info.value)
    return info
