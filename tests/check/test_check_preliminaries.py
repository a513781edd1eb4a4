"""check.quadratic_gradient: correct gradients pass, each typical mistake gets its own diagnosis,
and no message reveals the reference values."""

from __future__ import annotations

import checker_contract as contract
import numpy as np
import pytest

from dlnotes import check
from dlnotes.check._diagnose import _reference
from dlnotes.check.preliminaries import _GRADIENT
from dlnotes.gradcheck import numerical_gradient

# ---- independent correct implementations, written here and not taken from dlnotes ----


def grad_loop(A, theta, y):
    m, n = A.shape
    g = np.zeros(n)
    for i in range(m):
        r_i = sum(A[i, j] * theta[j] for j in range(n)) - y[i]
        for k in range(n):
            g[k] += r_i * A[i, k]
    return g


def grad_expanded(A, theta, y):
    # the chapter's step 3 before factoring: AᵀAθ − Aᵀy
    return A.T @ A @ theta - A.T @ y


def grad_einsum(A, theta, y):
    residual = np.einsum("ij,j->i", A, theta) - y
    return np.einsum("ij,i->j", A, residual)


@pytest.mark.parametrize("func", [grad_loop, grad_expanded, grad_einsum])
def test_a_correct_implementation_passes(func):
    contract.assert_passes(check.quadratic_gradient(func), func)


def test_the_reference_itself_passes():
    assert check.quadratic_gradient(_GRADIENT.reference)


def test_the_reference_agrees_with_a_hand_computation():
    # A = [[1, 2], [0, 1], [1, 0]], θ = (1, 1), y = (1, 2, 3): Aθ = (3, 1, 1), r = (2, −1, −2),
    # Aᵀr = (1·2 + 0·(−1) + 1·(−2), 2·2 + 1·(−1) + 0·(−2)) = (0, 3).
    A = np.array([[1.0, 2.0], [0.0, 1.0], [1.0, 0.0]])
    got = _GRADIENT.reference(A=A, theta=np.array([1.0, 1.0]), y=np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(got, [0.0, 3.0], rtol=0, atol=1e-15)


def test_the_reference_is_the_gradient_of_half_the_squared_norm():
    for case in _GRADIENT.cases()[:-1]:
        A, theta, y = case.args["A"], case.args["theta"], case.args["y"]
        numeric = numerical_gradient(lambda t, A=A, y=y: 0.5 * np.sum((A @ t - y) ** 2), theta)
        np.testing.assert_allclose(_reference(_GRADIENT, case), numeric, rtol=1e-7, atol=1e-8)


# ---- typical wrong answers and the words their diagnosis must contain ----


def residual(A, theta, y):
    return A @ theta - y


def doubled(A, theta, y):
    return 2 * A.T @ residual(A, theta, y)  # the ½ forgotten


def averaged(A, theta, y):
    return A.T @ residual(A, theta, y) / len(y)  # the next chapter's J


def wrong_sign(A, theta, y):
    return A.T @ (y - A @ theta)


def gradient_in_y(A, theta, y):
    return y - A @ theta


def gradient_in_A(A, theta, y):
    return residual(A, theta, y)[:, None] * theta[None, :]


def no_transpose(A, theta, y):
    return A @ residual(A, theta, y)


def a_times_a(A, theta, y):
    return A @ A @ theta - A.T @ y


def a_times_a_transposed(A, theta, y):
    return A @ A.T @ theta - A.T @ y


def difference_quotient(A, theta, y):
    return numerical_gradient(lambda t: 0.5 * np.sum((A @ t - y) ** 2), theta)


def in_place(A, theta, y):
    y -= A @ theta
    return -A.T @ y


WRONG = [
    (doubled, "多了一个因子 2"),
    (averaged, "多除了样本数 m"),
    (wrong_sign, "符号反了"),
    (gradient_in_y, "对 y 的梯度"),
    (residual, "残差本身"),
    (gradient_in_A, "对 A 的梯度"),
    (no_transpose, "A 少了转置"),
    (a_times_a, "A 与 A 相乘"),
    (a_times_a_transposed, "A 乘 A 的转置"),
    (difference_quotient, "数值梯度"),
    (in_place, "改动了传入的数组 y"),
    (lambda A, theta, y: grad_einsum(A, theta, y)[:, None], "形状不对"),
    (lambda A, theta, y: np.array(0.5 * np.sum(residual(A, theta, y) ** 2)), "形状不对"),
    (lambda A, theta, y: 0.5 * grad_einsum(A, theta, y), "约为正确答案的 0.50 倍"),
    (lambda A, theta, y: -3 * grad_einsum(A, theta, y), "约为正确答案的 -3.00 倍"),
    (lambda A, theta, y: A.T @ A @ theta, "不随 y 变化"),
    (lambda A, theta, y: grad_einsum(A, theta, y).astype(np.float32), "float32"),
    (lambda A, theta, y: list(grad_einsum(A, theta, y)), "list"),
    (lambda A, theta, y: (grad_einsum(A, theta, y), residual(A, theta, y)), "tuple"),
    (lambda A, theta, y: A.T @ (A @ theta - y[:, None]), "形状不对"),
    (lambda A, theta, y: A[:, 4] * theta[0], "IndexError"),
]


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_a_typical_mistake_gets_its_diagnosis(func, words):
    contract.assert_diagnosed(check.quadratic_gradient(func), words)


def test_each_mistake_has_its_own_message():
    contract.assert_each_mistake_has_its_own_message(check.quadratic_gradient, _GRADIENT)


def test_a_forgotten_transpose_on_a_non_square_matrix_is_a_reported_error():
    square_first = _GRADIENT.cases()[0]
    assert square_first.args["A"].shape[0] == square_first.args["A"].shape[1]
    rectangular = [c for c in _GRADIENT.cases() if c.args["A"].shape[0] != c.args["A"].shape[1]]
    assert rectangular
    with pytest.raises(ValueError):
        no_transpose(**rectangular[0].args)


def test_only_a_small_error_on_the_extreme_case_is_blamed_on_a_difference_quotient():
    def far_off_on_the_extreme_case(A, theta, y):
        g = A.T @ (A @ theta - y)
        return g * 1.5 if np.abs(theta).max() > 1e3 else g

    message = repr(check.quadratic_gradient(far_off_on_the_extreme_case))
    assert "数值梯度" not in message and not message.startswith("正确")


def test_no_exp_hint_for_an_overflow():
    def overflows_on_the_extreme_case(A, theta, y):
        return grad_einsum(A, theta, y) * (np.inf if np.abs(theta).max() > 1e3 else 1.0)

    message = repr(check.quadratic_gradient(overflows_on_the_extreme_case))
    assert message.startswith("数值不稳定") and "exp" not in message


@pytest.mark.parametrize("func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_no_message_reveals_the_reference(func, words):
    contract.assert_reveals_nothing(repr(check.quadratic_gradient(func)), _GRADIENT)


def test_the_hidden_inputs_are_the_same_every_time_and_tell_the_mistakes_apart():
    # the first case is square: every mistake runs there, and answers of another shape differ
    contract.assert_cases_are_fixed_and_tell_mistakes_apart(_GRADIENT, shapes_may_differ=True)


def test_the_extreme_case_defeats_a_difference_quotient_but_not_the_formula():
    extreme = [case for case in _GRADIENT.cases() if case.extreme]
    assert extreme
    for case in extreme:
        expected = _reference(_GRADIENT, case)
        error = np.max(np.abs(difference_quotient(**case.args) - expected))
        assert error > 1e-5 * np.max(np.abs(expected))
        assert check.quadratic_gradient(grad_expanded)
