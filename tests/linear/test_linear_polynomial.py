"""dlnotes.linear.polynomial, checked against numpy.polyfit, direct normal equations, sklearn
and exact polynomials far from 0."""

import warnings
from math import comb

import numpy as np
import pytest

from dlnotes.datasets import make_sine_data
from dlnotes.linear import fit_polynomial, polynomial_features, predict_polynomial


@pytest.fixture(scope="module")
def data():
    return make_sine_data(25, noise_std=0.2, seed=3)


def test_features_are_powers():
    x = np.array([-1.5, 0.0, 2.0])
    F = polynomial_features(x, 3)
    assert F.shape == (3, 4)
    np.testing.assert_array_equal(F, np.stack([x**0, x, x**2, x**3], axis=1))
    assert polynomial_features(x, 0).shape == (3, 1)


@pytest.mark.parametrize("degree", [0, 1, 3, 6, 9])
def test_unpenalised_fit_matches_polyfit(data, degree):
    x, y = data
    coef = fit_polynomial(x, y, degree)
    reference = np.polyfit(x, y, degree)[::-1]  # polyfit stores the highest power first
    np.testing.assert_allclose(coef, reference, rtol=1e-7, atol=1e-8)


def test_exact_polynomial_is_recovered():
    x = np.linspace(-2, 2, 9)
    y = 1.0 - 2.0 * x + 0.5 * x**3
    np.testing.assert_allclose(fit_polynomial(x, y, 3), [1.0, -2.0, 0.0, 0.5], atol=1e-12)


def shifted_cubic_coefficients(c, a):
    """Coefficients of x in Σ_j a_j (x − c)^j, by the binomial theorem (exact in integers)."""
    return [
        sum(a[j] * comb(j, k) * (-c) ** (j - k) for j in range(k, len(a))) for k in range(len(a))
    ]


def test_cubic_on_years_is_fitted_to_full_accuracy():
    # Issue 10: on x = 2000…2020 the unscaled Vandermonde solve left a residual of 0.17 or more.
    x = np.arange(2000, 2021).astype(float)
    a = [1, -2, 0, 1]  # y = 1 − 2 (x − 2010) + (x − 2010)³: small values, huge monomial terms
    y = 1 - 2 * (x - 2010) + (x - 2010) ** 3  # exact integers
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        coef = fit_polynomial(x, y, 3)
    assert np.max(np.abs(predict_polynomial(coef, x) - y)) < 1e-6 * np.max(np.abs(y))
    np.testing.assert_allclose(coef, shifted_cubic_coefficients(2010, a), rtol=1e-7)


def test_fit_on_shifted_x_matches_the_fit_on_centred_x(data):
    x, y = data
    degree = 5
    # On x + 1000, the fitted curve must equal the fit on x, moved by 1000.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        far = fit_polynomial(x + 1000.0, y, degree)
    near = fit_polynomial(x, y, degree)
    grid = np.linspace(-1, 1, 7)
    loss = (degree + 1) * np.finfo(float).eps * (1001.0 / 1.0) ** degree  # the documented bound
    np.testing.assert_allclose(
        predict_polynomial(far, grid + 1000.0), predict_polynomial(near, grid), atol=10 * loss
    )


def test_warns_when_the_coefficients_cannot_be_evaluated_accurately():
    x = np.arange(2000, 2021).astype(float)
    with pytest.warns(RuntimeWarning, match=r"degree-6 fit .* relative error of about"):
        fit_polynomial(x, (x - 2010) ** 2, 6)


@pytest.mark.parametrize("l2", [1e-4, 0.01, 1.0])
def test_ridge_matches_normal_equation(data, l2):
    x, y = data
    degree, m = 7, len(x)
    Phi = polynomial_features(x, degree)
    D = np.eye(degree + 1)
    D[0, 0] = 0.0  # the constant term is not penalised
    expected = np.linalg.solve(Phi.T @ Phi / m + l2 * D, Phi.T @ y / m)
    np.testing.assert_allclose(fit_polynomial(x, y, degree, l2=l2), expected, rtol=1e-6, atol=1e-9)


def test_ridge_on_shifted_x_penalises_the_coefficients_of_x():
    # The penalty is on θ_k, the coefficients of x, whatever scaled variable the solver uses.
    x = np.linspace(3.0, 5.0, 12)
    y = np.cos(x)
    degree, l2, m = 3, 0.01, len(x)
    Phi = polynomial_features(x, degree)
    D = np.diag([0.0, 1.0, 1.0, 1.0])
    expected = np.linalg.solve(Phi.T @ Phi / m + l2 * D, Phi.T @ y / m)
    np.testing.assert_allclose(fit_polynomial(x, y, degree, l2=l2), expected, rtol=1e-8)


def test_ridge_matches_sklearn(data):
    Ridge = pytest.importorskip("sklearn.linear_model").Ridge
    x, y = data
    degree, l2, m = 5, 0.05, len(x)
    Phi = polynomial_features(x, degree)
    # sklearn minimises ||y - X w - c||^2 + alpha ||w||^2 with c unpenalised: alpha = m * l2.
    model = Ridge(alpha=m * l2, fit_intercept=True, solver="svd").fit(Phi[:, 1:], y)
    coef = fit_polynomial(x, y, degree, l2=l2)
    assert coef[0] == pytest.approx(model.intercept_, rel=1e-8)
    np.testing.assert_allclose(coef[1:], model.coef_, rtol=1e-7, atol=1e-10)


def test_penalty_shrinks_the_coefficients(data):
    x, y = data
    norms = [np.linalg.norm(fit_polynomial(x, y, 9, l2=l2)[1:]) for l2 in (0.0, 1e-3, 1e-1, 10.0)]
    assert all(a > b for a, b in zip(norms, norms[1:]))


def test_large_penalty_leaves_the_mean(data):
    x, y = data
    coef = fit_polynomial(x, y, 4, l2=1e12)
    assert coef[0] == pytest.approx(np.mean(y), abs=1e-6)
    assert np.max(np.abs(coef[1:])) < 1e-6


def test_shifting_y_shifts_only_the_constant_term(data):
    x, y = data
    shift = fit_polynomial(x, y + 10.0, 15, l2=1e-3) - fit_polynomial(x, y, 15, l2=1e-3)
    assert abs(shift[0] - 10.0) < 1e-8 and np.max(np.abs(shift[1:])) < 1e-8


def test_ridge_allows_more_coefficients_than_samples():
    x = np.array([0.0, 0.5, 1.0])
    coef = fit_polynomial(x, [1.0, 0.0, 1.0], 6, l2=0.1)
    assert coef.shape == (7,) and np.all(np.isfinite(coef))


def test_one_sample_gives_a_constant():
    assert fit_polynomial([3.0], [2.5], 0).tolist() == [2.5]


def test_predict_matches_polyval():
    coef = np.array([0.5, -1.0, 2.0, 0.25])
    x = np.linspace(-3, 3, 11)
    np.testing.assert_allclose(predict_polynomial(coef, x), np.polyval(coef[::-1], x), rtol=1e-13)


# Bad input: every message names the expected and the actual value.


def test_rejects_bad_degree_and_penalty(data):
    x, y = data
    with pytest.raises(ValueError, match=r"degree must be >= 0, got -1"):
        fit_polynomial(x, y, -1)
    with pytest.raises(TypeError, match=r"degree must be an integer, got 2.5"):
        polynomial_features(x, 2.5)
    with pytest.raises(ValueError, match=r"l2 must be >= 0, got -0.1"):
        fit_polynomial(x, y, 2, l2=-0.1)
    with pytest.raises(ValueError, match=r"l2 must be finite, got inf"):
        fit_polynomial(x, y, 2, l2=np.inf)
    with pytest.raises(TypeError, match=r"l2 must be a real number, got 'big'"):
        fit_polynomial(x, y, 2, l2="big")


def test_rejects_too_few_samples_without_penalty():
    with pytest.raises(ValueError, match=r"degree 3 needs at least degree \+ 1 = 4 samples, got 3"):
        fit_polynomial([0.0, 1.0, 2.0], [0.0, 1.0, 0.0], 3)


def test_rejects_mismatched_or_bad_arrays():
    with pytest.raises(ValueError, match=r"same number of samples, got 3 and 2"):
        fit_polynomial([0.0, 1.0, 2.0], [0.0, 1.0], 1)
    with pytest.raises(ValueError, match=r"at least 1 sample, got 0"):
        fit_polynomial([], [], 0, l2=1.0)
    with pytest.raises(
        ValueError, match=r"x must have shape \(m,\) or \(m, 1\).*got shape \(2, 2\)"
    ):
        polynomial_features(np.ones((2, 2)), 1)
    with pytest.raises(ValueError, match=r"x must be finite .* got inf"):
        polynomial_features([0.0, np.inf], 1)
    with pytest.raises(ValueError, match=r"coef must hold at least 1 coefficient, got 0"):
        predict_polynomial([], [1.0])
