"""check.descent_step: correct steps pass, each typical mistake gets its own diagnosis, and no
message reveals the reference values."""

from __future__ import annotations

import checker_contract as contract
import numpy as np
import pytest

from dlnotes import check
from dlnotes.check._diagnose import _reference
from dlnotes.check.gradient_descent import _DESCENT

# ---- independent correct implementations, written here and not taken from dlnotes ----


def step_loop(w, b, x, y, eta):
    gw = gb = 0.0
    for xi, yi in zip(x, y):
        error = xi * w + b - yi
        gw += error * xi
        gb += error
    return np.array([w - eta * gw / len(x), b - eta * gb / len(x)])


def step_matrix(w, b, x, y, eta):
    a = np.column_stack([x, np.ones_like(x)])  # one row (x_i, 1) per sample
    theta = np.array([w, b])
    return theta - eta * a.T @ (a @ theta - y) / len(y)


def step_two_lines(w, b, x, y, eta):
    error = w * x + b - y
    dw, db = np.dot(error, x) / x.size, error.mean()
    w, b = w - eta * dw, b - eta * db
    return np.array([w, b])


@pytest.mark.parametrize("func", [step_loop, step_matrix, step_two_lines])
def test_a_correct_implementation_passes(func):
    contract.assert_passes(check.descent_step(func), func)


def test_the_reference_itself_passes():
    assert check.descent_step(_DESCENT.reference)


def test_the_reference_agrees_with_a_hand_computation():
    # x = (0, 2), y = (1, 1), w = 1, b = 0: errors (-1, 1), dJ/dw = (0 + 2) / 2 = 1,
    # dJ/db = 0, so with eta = 0.5 the step goes to (0.5, 0).
    got = _DESCENT.reference(w=1.0, b=0.0, x=np.array([0.0, 2.0]), y=np.array([1.0, 1.0]), eta=0.5)
    np.testing.assert_allclose(got, [0.5, 0.0], rtol=0, atol=1e-15)


# ---- typical wrong answers and the words their diagnosis must contain ----


def _err(w, b, x, y):
    return w * x + b - y


def ascent(w, b, x, y, eta):
    e = _err(w, b, x, y)
    return np.array([w + eta * np.mean(e * x), b + eta * np.mean(e)])


def summed(w, b, x, y, eta):
    e = _err(w, b, x, y)
    return np.array([w - eta * np.sum(e * x), b - eta * np.sum(e)])


def without_the_half(w, b, x, y, eta):
    e = 2 * _err(w, b, x, y)  # derivative of (z - y)**2
    return np.array([w - eta * np.mean(e * x), b - eta * np.mean(e)])


def half_kept(w, b, x, y, eta):
    e = 0.5 * _err(w, b, x, y)
    return np.array([w - eta * np.mean(e * x), b - eta * np.mean(e)])


def sequential(w, b, x, y, eta):
    w = w - eta * np.mean(_err(w, b, x, y) * x)
    b = b - eta * np.mean(_err(w, b, x, y))
    return np.array([w, b])


def b_times_x(w, b, x, y, eta):
    e = _err(w, b, x, y)
    return np.array([w - eta * np.mean(e * x), b - eta * np.mean(e * x)])


def no_eta(w, b, x, y, eta):
    e = _err(w, b, x, y)
    return np.array([w - np.mean(e * x), b - np.mean(e)])


def gradient_only(w, b, x, y, eta):
    e = _err(w, b, x, y)
    return np.array([np.mean(e * x), np.mean(e)])


def swapped(w, b, x, y, eta):
    return step_two_lines(w, b, x, y, eta)[::-1]


def expanded(w, b, x, y, eta):
    # the same gradient written with moments: x**2 overflows on large data
    dw = w * np.mean(x**2) + b * np.mean(x) - np.mean(x * y)
    return np.array([w - eta * dw, b - eta * np.mean(_err(w, b, x, y))])


def in_place(w, b, x, y, eta):
    x *= 1.0
    y -= w * x + b
    return np.array([w + eta * np.mean(y * x), b + eta * np.mean(y)])


WRONG = [
    (ascent, "梯度上升"),
    (summed, "与样本数 m 有关的倍数"),
    (without_the_half, "大了一倍"),
    (half_kept, "小了一半"),
    (sequential, "已经更新过的 w"),
    (b_times_x, "b 的梯度用错了"),
    (no_eta, "学习率 eta"),
    (gradient_only, "返回的是梯度本身"),
    (swapped, "顺序反了"),
    (expanded, "数值不稳定"),
    (in_place, "改动了传入的数组 y"),
    (lambda w, b, x, y, eta: step_two_lines(w, b, x, y, eta)[:, None], "形状不对"),
    (lambda w, b, x, y, eta: tuple(step_two_lines(w, b, x, y, eta)), "tuple"),
    (lambda w, b, x, y, eta: list(step_two_lines(w, b, x, y, eta)), "list"),
    (lambda w, b, x, y, eta: 3 * step_two_lines(w, b, x, y, eta), "约为正确答案的 3.00 倍"),
    (lambda w, b, x, y, eta: -step_two_lines(w, b, x, y, eta), "符号反了"),
    (lambda w, b, x, y, eta: step_two_lines(w, b, x, y, eta).astype(np.float32), "float32"),
    (lambda w, b, x, y, eta: step_two_lines(w, b, x, 0 * y, eta), "不随 y 变化"),
    (lambda w, b, x, y, eta: step_two_lines(w, b, x, y, eta)[0], "float64"),
    (lambda w, b, x, y, eta: x[:, 1], "IndexError"),
]


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_a_typical_mistake_gets_its_diagnosis(func, words):
    contract.assert_diagnosed(check.descent_step(func), words)


def test_each_mistake_has_its_own_message():
    contract.assert_each_mistake_has_its_own_message(check.descent_step, _DESCENT)


def test_an_overflow_gets_a_hint_about_the_square_not_about_exp():
    message = repr(check.descent_step(expanded))
    assert "平方" in message and "exp" not in message


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_no_message_reveals_the_reference(func, words):
    contract.assert_reveals_nothing(repr(check.descent_step(func)), _DESCENT)


def test_the_hidden_inputs_are_the_same_every_time_and_tell_the_mistakes_apart():
    contract.assert_cases_are_fixed_and_tell_mistakes_apart(_DESCENT)


def test_the_extreme_case_has_a_finite_answer_that_a_square_would_overflow():
    extreme = [case for case in _DESCENT.cases() if case.extreme]
    assert extreme
    for case in extreme:
        assert np.isfinite(_reference(_DESCENT, case)).all()
        with np.errstate(over="ignore"):
            assert not np.isfinite(case.args["x"] ** 2).all()
