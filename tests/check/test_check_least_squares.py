"""check.line_fit: correct fits pass, each typical mistake gets its own diagnosis, the textbook
formula is caught by its cancellation, and no message reveals the reference values."""

from __future__ import annotations

import checker_contract as contract
import numpy as np
import pytest

from dlnotes import check
from dlnotes.check._diagnose import _reference
from dlnotes.check.least_squares import _LINE_FIT

# ---- independent correct implementations, written here and not taken from dlnotes ----


def fit_centred(x, y):
    x_mean, y_mean = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - x_mean) * (b - y_mean) for a, b in zip(x, y))
    sxx = sum((a - x_mean) ** 2 for a in x)
    w = sxy / sxx
    return np.array([w, y_mean - w * x_mean])


def fit_lstsq(x, y):
    design = np.column_stack([x, np.ones_like(x)])
    return np.linalg.lstsq(design, y, rcond=None)[0]


def fit_covariance(x, y):
    c = np.cov(x, y)  # both entries with the same divisor m − 1
    w = c[0, 1] / c[0, 0]
    return np.array([w, np.mean(y - w * x)])


@pytest.mark.parametrize("func", [fit_centred, fit_lstsq, fit_covariance])
def test_a_correct_implementation_passes(func):
    contract.assert_passes(check.line_fit(func), func)


def test_the_reference_itself_passes():
    assert check.line_fit(_LINE_FIT.reference)


def test_the_reference_agrees_with_a_hand_computation():
    # x = (0, 1, 2, 3), y = (1, 2, 2, 5): x̄ = 1.5, ȳ = 2.5, Σ(x − x̄)(y − ȳ) = 6,
    # Σ(x − x̄)² = 5, so w = 1.2 and b = 2.5 − 1.2 · 1.5 = 0.7.
    got = _LINE_FIT.reference(x=np.array([0.0, 1.0, 2.0, 3.0]), y=np.array([1.0, 2.0, 2.0, 5.0]))
    np.testing.assert_allclose(got, [1.2, 0.7], rtol=1e-15, atol=1e-15)


# ---- typical wrong answers and the words their diagnosis must contain ----


def textbook(x, y):
    # formula 13 and formula 14: right in exact arithmetic, cancels when x is large
    m = len(x)
    w = (m * np.sum(x * y) - np.sum(x) * np.sum(y)) / (m * np.sum(x**2) - np.sum(x) ** 2)
    return np.array([w, (np.sum(y) - w * np.sum(x)) / m])


def textbook_means(x, y):
    w = (np.mean(x * y) - x.mean() * y.mean()) / (np.mean(x * x) - x.mean() ** 2)
    return np.array([w, y.mean() - w * x.mean()])


def normal_equation_solved(x, y):
    design = np.column_stack([x, np.ones_like(x)])
    return np.linalg.solve(design.T @ design, design.T @ y)


def _line(w, x, y):
    return np.array([w, np.mean(y) - w * np.mean(x)])


def swapped(x, y):
    return fit_centred(x, y)[::-1]


def intercept_is_mean(x, y):
    return np.array([fit_centred(x, y)[0], np.mean(y)])


def intercept_sign(x, y):
    w = fit_centred(x, y)[0]
    return np.array([w, np.mean(y) + w * np.mean(x)])


def denominator_uncentred(x, y):
    return _line(np.sum((x - x.mean()) * (y - y.mean())) / np.sum(x * x), x, y)


def through_origin(x, y):
    return _line(np.dot(x, y) / np.dot(x, x), x, y)


def through_origin_no_b(x, y):
    return np.array([np.dot(x, y) / np.dot(x, x), 0.0])


def x_on_y(x, y):
    return fit_centred(y, x)


def x_on_y_inverted(x, y):
    dx, dy = x - x.mean(), y - y.mean()
    return _line(np.dot(dy, dy) / np.dot(dx, dy), x, y)


def mixed_divisors(x, y):
    return _line(np.cov(x, y)[0, 1] / np.var(x), x, y)


def in_place(x, y):
    x -= x.mean()
    return _line(np.dot(x, y - y.mean()) / np.dot(x, x), x, y)


WRONG = [
    (textbook, "数值上不可靠"),
    (textbook_means, "灾难性抵消"),
    (normal_equation_solved, "数值上不可靠"),
    (swapped, "顺序反了"),
    (intercept_is_mean, "截距不是 y 的均值"),
    (intercept_sign, "符号用反了"),
    (denominator_uncentred, "分母不对"),
    (through_origin, "过原点"),
    (through_origin_no_b, "截距 b 可以自由取值"),
    (x_on_y, "用 y 预测 x"),
    (x_on_y_inverted, "取倒数"),
    (mixed_divisors, "m − 1"),
    (in_place, "改动了传入的数组 x"),
    (lambda x, y: fit_centred(x, y)[:1], "形状不对"),
    (lambda x, y: fit_centred(x, y)[:, None], "形状不对"),
    (lambda x, y: tuple(fit_centred(x, y)), "tuple"),
    (lambda x, y: list(fit_centred(x, y)), "list"),
    (lambda x, y: -fit_centred(x, y), "符号反了"),
    (lambda x, y: 2 * fit_centred(x, y), "约为正确答案的 2.00 倍"),
    (lambda x, y: fit_centred(x, y).astype(np.float32), "float32"),
    (lambda x, y: fit_centred(x, y)[0], "float64"),
    (lambda x, y: fit_centred(np.arange(len(y), dtype=float), y), "不随 x 变化"),
    (lambda x, y: x[200] * fit_centred(x, y), "IndexError"),
]


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_a_typical_mistake_gets_its_diagnosis(func, words):
    contract.assert_diagnosed(check.line_fit(func), words)


def test_each_mistake_has_its_own_message():
    contract.assert_each_mistake_has_its_own_message(check.line_fit, _LINE_FIT)


def test_the_cancellation_hint_points_at_centring_without_the_formula():
    message = repr(check.line_fit(textbook))
    assert "挪到 0 附近" in message
    assert "x̄" not in message and "Σ" not in message and "mean" not in message


def test_the_textbook_formula_passes_every_ordinary_case_and_fails_the_extreme_one():
    for case in _LINE_FIT.cases():
        expected = _reference(_LINE_FIT, case)
        for formula in (textbook, textbook_means, normal_equation_solved):
            close = np.allclose(formula(**case.args), expected, rtol=1e-6, atol=1e-9)
            assert close != case.extreme, (formula.__name__, case.label)
        # the lost digits are many more than the checker's tolerance
        error = np.abs(textbook(**case.args) - expected) / np.abs(expected)
        assert (error.max() > 1e-5) == case.extreme


def test_a_nan_from_a_cancelled_denominator_gets_a_hint_about_cancellation_not_exp():
    def cancels_to_zero(x, y):
        if x.min() > 1e5:
            return np.array([np.inf, -np.inf])
        return fit_centred(x, y)

    message = repr(check.line_fit(cancels_to_zero))
    assert message.startswith("数值不稳定") and "exp" not in message and "相减" in message


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_no_message_reveals_the_reference(func, words):
    contract.assert_reveals_nothing(repr(check.line_fit(func)), _LINE_FIT)


def test_the_hidden_inputs_are_the_same_every_time_and_tell_the_mistakes_apart():
    contract.assert_cases_are_fixed_and_tell_mistakes_apart(_LINE_FIT)
