"""check.ridge_fit: correct ridge solvers pass, each typical mistake gets its own diagnosis, and
no message reveals the reference values."""

from __future__ import annotations

import warnings

import checker_contract as contract
import numpy as np
import pytest

from dlnotes import check
from dlnotes.check._diagnose import _reference
from dlnotes.check.generalization import _RIDGE
from dlnotes.linear.polynomial import polynomial_features

# ---- independent correct implementations, written here and not taken from dlnotes ----


def ridge_stacked(X, y, lam):
    # |Xθ − y|² + mλ Σ_{j≥1} θ_j² is the squared residual of a taller least-squares problem
    m, n = X.shape
    rows = np.sqrt(m * lam) * np.eye(n)[1:]
    A = np.concatenate([X, rows])
    b = np.concatenate([y, np.zeros(n - 1)])
    return np.linalg.lstsq(A, b, rcond=None)[0]


def ridge_centred_svd(X, y, lam):
    # θ₀ is free: centre the other columns and y, shrink along the singular directions
    m = len(y)
    means = X[:, 1:].mean(axis=0)
    Xc, yc = X[:, 1:] - means, y - y.mean()
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    rest = Vt.T @ (s / (s**2 + m * lam) * (U.T @ yc))
    return np.concatenate([[y.mean() - means @ rest], rest])


def ridge_qr(X, y, lam):
    m, n = X.shape
    penalty = np.diag(np.r_[0.0, np.full(n - 1, np.sqrt(m * lam))])
    q, r = np.linalg.qr(np.vstack([X, penalty]))
    return np.linalg.solve(r, q.T @ np.r_[y, np.zeros(n)])


@pytest.mark.parametrize("func", [ridge_stacked, ridge_centred_svd, ridge_qr])
def test_a_correct_implementation_passes(func):
    result = check.ridge_fit(func)
    contract.assert_passes(result, func)
    assert "警告" not in repr(result)


def test_the_reference_itself_passes():
    assert check.ridge_fit(_RIDGE.reference)


def test_the_reference_agrees_with_a_hand_computation():
    # x = (−1, 0, 1), y = (1, 1, 4): XᵀX = [[3, 0], [0, 2]], Xᵀy = (6, 3); with m λ = 1 on the
    # second diagonal entry only, θ₀ = 6 / 3 = 2 and θ₁ = 3 / (2 + 1) = 1.
    X = polynomial_features(np.array([-1.0, 0.0, 1.0]), 1)
    got = _RIDGE.reference(X=X, y=np.array([1.0, 1.0, 4.0]), lam=1 / 3)
    np.testing.assert_allclose(got, [2.0, 1.0], rtol=0, atol=1e-14)


def test_the_reference_minimises_the_chapter_objective():
    case = _RIDGE.cases()[1]
    X, y, lam = case.args["X"], case.args["y"], case.args["lam"]

    def objective(theta):
        return np.mean((X @ theta - y) ** 2) / 2 + lam / 2 * np.sum(theta[1:] ** 2)

    theta = _reference(_RIDGE, case)
    gradient = X.T @ (X @ theta - y) / len(y) + lam * np.r_[0.0, theta[1:]]
    np.testing.assert_allclose(gradient, 0, atol=1e-12)
    rng = np.random.default_rng(0)
    for _ in range(5):
        assert objective(theta) < objective(theta + 1e-3 * rng.standard_normal(theta.shape))


# ---- the numerically careless answer: right on ordinary inputs, digits lost on the extreme ----


def ridge_normal_equations(X, y, lam):
    m, n = X.shape
    D = np.eye(n)
    D[0, 0] = 0.0
    return np.linalg.solve(X.T @ X / m + lam * D, X.T @ y / m)


def ridge_inverse(X, y, lam):
    m, n = X.shape
    D = np.diag(np.r_[0.0, np.ones(n - 1)])
    return np.linalg.inv(X.T @ X + m * lam * D) @ X.T @ y


@pytest.mark.parametrize("func", [ridge_normal_equations, ridge_inverse])
def test_the_normal_equations_lose_digits_only_on_the_extreme_case(func):
    for case in _RIDGE.cases():
        agrees = np.allclose(func(**case.args), _reference(_RIDGE, case), rtol=1e-6, atol=1e-9)
        assert agrees != case.extreme, case.label
    message = repr(check.ridge_fit(func))
    assert message.startswith("结果在数值上不可靠") and "XᵀX" in message


def test_the_extreme_case_is_ill_conditioned_and_its_answer_is_reliable():
    (case,) = [case for case in _RIDGE.cases() if case.extreme]
    X = case.args["X"]
    assert np.linalg.cond(X) > 1e7
    # the stable solvers agree with the reference far better than the checker's tolerance
    expected = _reference(_RIDGE, case)
    for func in (ridge_stacked, ridge_centred_svd, ridge_qr):
        error = np.abs(func(**case.args) - expected) / (1e-3 + np.abs(expected))
        assert error.max() < 1e-8
    # the tiny penalty still matters: without it the answer is another one
    unpenalised = np.linalg.lstsq(X, case.args["y"], rcond=None)[0]
    assert not np.allclose(unpenalised, expected, rtol=1e-3)


# ---- typical wrong answers and the words their diagnosis must contain ----


def _gram(X, y):
    return X.T @ X / len(y), X.T @ y / len(y)


def _d(n, unpenalised=0):
    d = np.eye(n)
    d[unpenalised, unpenalised] = 0.0
    return d


def plain_least_squares(X, y, lam):
    return np.linalg.solve(*_gram(X, y))


def penalise_the_bias(X, y, lam):
    A, b = _gram(X, y)
    return np.linalg.solve(A + lam * np.eye(X.shape[1]), b)


def last_one_free(X, y, lam):
    A, b = _gram(X, y)
    return np.linalg.solve(A + lam * _d(X.shape[1], -1), b)


def textbook_identity(X, y, lam):
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


def lam_not_times_m(X, y, lam):
    return np.linalg.solve(X.T @ X + lam * _d(X.shape[1]), X.T @ y)


def lam_times_m_twice(X, y, lam):
    A, b = _gram(X, y)
    return np.linalg.solve(A + len(y) * lam * _d(X.shape[1]), b)


def twice_lam(X, y, lam):
    A, b = _gram(X, y)
    return np.linalg.solve(A + 2 * lam * _d(X.shape[1]), b)


def half_lam(X, y, lam):
    A, b = _gram(X, y)
    return np.linalg.solve(A + lam / 2 * _d(X.shape[1]), b)


def lam_everywhere(X, y, lam):
    A, b = _gram(X, y)
    return np.linalg.solve(A + lam, b)


def lam_everywhere_unscaled(X, y, lam):
    return np.linalg.solve(X.T @ X + lam, X.T @ y)


def outer_product(X, y, lam):
    return np.linalg.inv(X @ X.T + len(y) * lam * _d(X.shape[1])) @ X.T @ y


def minus_penalty(X, y, lam):
    A, b = _gram(X, y)
    return np.linalg.solve(A - lam * _d(X.shape[1]), b)


def in_place(X, y, lam):
    X -= 0.0
    y -= y.mean()
    return ridge_stacked(X, y, lam) + np.r_[y.mean(), np.zeros(X.shape[1] - 1)]


WRONG = [
    (plain_least_squares, "λ 没有起作用"),
    (penalise_the_bias, "常数项 θ₀ 也受了惩罚"),
    (last_one_free, "不受惩罚的系数选错了"),
    (textbook_identity, "有两处与本章的约定不同"),
    (lam_not_times_m, "差了 m 倍"),
    (lam_times_m_twice, "差了 m 倍"),
    (twice_lam, "差了 2 倍"),
    (half_lam, "差了 2 倍"),
    (lam_everywhere, "每一个元素上"),
    (lam_everywhere_unscaled, "每一个元素上"),
    (outer_product, "X Xᵀ（m×m）"),
    (minus_penalty, "惩罚项的符号反了"),
    (ridge_normal_equations, "数值上不可靠"),
    (in_place, "改动了传入的数组 y"),
    (lambda X, y, lam: 2 * ridge_stacked(X, y, lam), "约为正确答案的 2.00 倍"),
    (lambda X, y, lam: -ridge_stacked(X, y, lam), "符号反了：结果正好"),
    (lambda X, y, lam: ridge_stacked(X, y, lam)[:-1], "形状不对"),
    (lambda X, y, lam: ridge_stacked(X, y, lam)[:, None], "形状不对"),
    (lambda X, y, lam: ridge_stacked(X, y, lam).astype(np.float32), "float32"),
    (lambda X, y, lam: ridge_stacked(X, y, lam).tolist(), "list"),
    (lambda X, y, lam: (ridge_stacked(X, y, lam), lam), "tuple"),
    (lambda X, y, lam: None, "忘了写 return"),
    (lambda X, y, lam: ridge_stacked(X, np.ones_like(y), lam), "不随 y 变化"),
    (lambda X, y, lam: X[:, 20], "IndexError"),
]


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_a_typical_mistake_gets_its_diagnosis(func, words):
    contract.assert_diagnosed(check.ridge_fit(func), words)


def test_each_mistake_has_its_own_message():
    # λ off by m, λ off by 2 and λ on every entry are each listed in two forms, with one message
    contract.assert_each_mistake_has_its_own_message(check.ridge_fit, _RIDGE, distinct=False)


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_no_message_reveals_the_reference(func, words):
    contract.assert_reveals_nothing(repr(check.ridge_fit(func)), _RIDGE)


def test_the_hidden_inputs_are_the_same_every_time_and_tell_the_mistakes_apart():
    first = contract.assert_cases_are_fixed_and_tell_mistakes_apart(_RIDGE)
    # lam is a number: == also refuses a NaN, which assert_array_equal lets through
    assert all(a.args["lam"] == b.args["lam"] for a, b in zip(first, _RIDGE.cases()))


def test_the_hidden_inputs_are_the_chapter_features_and_the_reference_stays_quiet():
    for case in _RIDGE.cases():
        X = case.args["X"]
        np.testing.assert_array_equal(X, polynomial_features(X[:, 1], X.shape[1] - 1))
        assert case.args["lam"] >= 0 and isinstance(case.args["lam"], float)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            _reference(_RIDGE, case)
