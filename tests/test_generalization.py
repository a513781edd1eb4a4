"""dlnotes.generalization, checked against numpy.polyfit, a direct normal-equation solve and sklearn."""

import numpy as np
import pytest

from dlnotes.generalization import (
    bias_variance,
    fit_polynomial,
    make_sine_data,
    mse,
    polynomial_features,
    predict_polynomial,
)


@pytest.fixture(scope="module")
def data():
    return make_sine_data(25, noise_std=0.2, seed=3)


def test_data_follow_the_documented_recipe():
    x, y = make_sine_data(200, noise_std=0.3, seed=9)
    rng = np.random.default_rng(9)
    x_ref = rng.uniform(-1.0, 1.0, size=200)
    y_ref = np.sin(np.pi * x_ref) + rng.normal(0.0, 0.3, size=200)
    np.testing.assert_array_equal(x, x_ref)
    np.testing.assert_array_equal(y, y_ref)


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


@pytest.mark.parametrize("l2", [1e-4, 0.01, 1.0])
def test_ridge_matches_normal_equation(data, l2):
    x, y = data
    degree, m = 7, len(x)
    Phi = polynomial_features(x, degree)
    D = np.eye(degree + 1)
    D[0, 0] = 0.0  # the constant term is not penalised
    expected = np.linalg.solve(Phi.T @ Phi / m + l2 * D, Phi.T @ y / m)
    np.testing.assert_allclose(fit_polynomial(x, y, degree, l2=l2), expected, rtol=1e-6, atol=1e-9)


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


def test_ridge_allows_more_coefficients_than_samples():
    x = np.array([0.0, 0.5, 1.0])
    coef = fit_polynomial(x, [1.0, 0.0, 1.0], 6, l2=0.1)
    assert coef.shape == (7,) and np.all(np.isfinite(coef))


def test_predict_matches_polyval():
    coef = np.array([0.5, -1.0, 2.0, 0.25])
    x = np.linspace(-3, 3, 11)
    np.testing.assert_allclose(predict_polynomial(coef, x), np.polyval(coef[::-1], x), rtol=1e-13)


def test_mse_by_hand():
    # errors 0, 1, -2: squares 0, 1, 4, mean 5/3
    assert mse([1.0, 2.0, 3.0], [1.0, 3.0, 1.0]) == pytest.approx(5 / 3)


def test_bias_variance_by_hand():
    # Point 1: predictions 0 and 2 around target 0 -> bias 1, variance 1.
    # Point 2: predictions 3 and 3 around target 1 -> bias 2, variance 0.
    bias2, variance = bias_variance([[0.0, 3.0], [2.0, 3.0]], [0.0, 1.0])
    assert bias2 == pytest.approx((1 + 4) / 2) and variance == pytest.approx((1 + 0) / 2)


def test_bias_variance_add_up_to_the_expected_error():
    rng = np.random.default_rng(0)
    target = rng.normal(size=6)
    predictions = target + 0.3 + rng.normal(scale=0.5, size=(1000, 6))
    bias2, variance = bias_variance(predictions, target)
    expected_error = np.mean((predictions - target) ** 2)
    assert bias2 + variance == pytest.approx(expected_error, rel=1e-12)


# Bad input: every message names the expected and the actual value.


def test_rejects_bad_degree_and_penalty(data):
    x, y = data
    with pytest.raises(ValueError, match=r"degree must be >= 0, got -1"):
        fit_polynomial(x, y, -1)
    with pytest.raises(TypeError, match=r"degree must be an integer, got 2.5"):
        polynomial_features(x, 2.5)
    with pytest.raises(ValueError, match=r"l2 must be a finite number >= 0, got -0.1"):
        fit_polynomial(x, y, 2, l2=-0.1)
    with pytest.raises(TypeError, match=r"l2 must be a real number, got 'big'"):
        fit_polynomial(x, y, 2, l2="big")


def test_rejects_too_few_samples_without_penalty():
    with pytest.raises(ValueError, match=r"degree 3 needs at least degree \+ 1 = 4 samples, got 3"):
        fit_polynomial([0.0, 1.0, 2.0], [0.0, 1.0, 0.0], 3)


def test_rejects_mismatched_or_bad_arrays():
    with pytest.raises(ValueError, match=r"same number of samples, got 3 and 2"):
        fit_polynomial([0.0, 1.0, 2.0], [0.0, 1.0], 1)
    with pytest.raises(ValueError, match=r"same shape, got \(2,\) and \(3,\)"):
        mse([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(
        ValueError, match=r"x must have shape \(m,\) or \(m, 1\).*got shape \(2, 2\)"
    ):
        polynomial_features(np.ones((2, 2)), 1)
    with pytest.raises(ValueError, match=r"x must be finite .* got inf"):
        polynomial_features([0.0, np.inf], 1)
    with pytest.raises(ValueError, match=r"predictions must have rank 2 \(R, n\), got rank 1"):
        bias_variance([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(
        ValueError, match=r"predictions must have shape \(R >= 1, n = 3 >= 1\), got \(2, 2\)"
    ):
        bias_variance(np.ones((2, 2)), np.ones(3))
    with pytest.raises(ValueError, match=r"coef must hold at least 1 coefficient, got 0"):
        predict_polynomial([], [1.0])


def test_rejects_bad_data_arguments():
    with pytest.raises(ValueError, match=r"m must be >= 1, got 0"):
        make_sine_data(0)
    with pytest.raises(ValueError, match=r"noise_std must be a finite number >= 0, got -1"):
        make_sine_data(5, noise_std=-1)
    with pytest.raises(TypeError, match=r"noise_std must be a real number, got '0.1'"):
        make_sine_data(5, noise_std="0.1")
