"""dlnotes.linear.least_squares and normal_equation, checked against lstsq and exact fractions."""

import warnings
from fractions import Fraction

import numpy as np
import pytest

from dlnotes.datasets import make_linear_regression
from dlnotes.linear import CancellationWarning, intercept, least_squares, normal_equation, slope

FORMULAS = (13, 15, 16)


def exact_line(x, y):
    """The least-squares (w, b) of the float data, in exact rational arithmetic."""
    xs, ys = [Fraction(float(v)) for v in x], [Fraction(float(v)) for v in y]
    x_bar, y_bar = sum(xs) / len(xs), sum(ys) / len(ys)
    w = sum((a - x_bar) * (c - y_bar) for a, c in zip(xs, ys)) / sum((a - x_bar) ** 2 for a in xs)
    return w, y_bar - w * x_bar


def lstsq_line(x, y):
    A = np.column_stack([x, np.ones_like(x)])
    (w, b), *_ = np.linalg.lstsq(A, y, rcond=None)
    return w, b


def test_exact_line_is_recovered():
    # Points on y = -1.5 x + 4 with no noise: every formula must return the line itself.
    x = np.array([-2.0, 0.0, 1.0, 3.0, 10.0])
    y = -1.5 * x + 4.0
    for formula in FORMULAS:
        for form in ("mean", "sum"):
            w, b = least_squares(x, y, method=formula, intercept_form=form)
            assert w == pytest.approx(-1.5, rel=1e-12)
            assert b == pytest.approx(4.0, rel=1e-12)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("formula", FORMULAS)
def test_formulas_match_lstsq(seed, formula):
    X, y = make_linear_regression(m=50, weights=(2.0,), bias=3.0, noise_std=0.5, seed=seed)
    w_ref, b_ref = lstsq_line(X[:, 0], y)
    w, b = least_squares(X[:, 0], y, method=formula)
    assert w == pytest.approx(w_ref, rel=1e-10)
    assert b == pytest.approx(b_ref, rel=1e-10)


def test_column_vectors_are_accepted():
    X, y = make_linear_regression(m=30, seed=1)
    assert least_squares(X, y[:, None]) == pytest.approx(least_squares(X[:, 0], y), rel=1e-14)


def test_returns_python_floats():
    X, y = make_linear_regression(m=10, seed=2)
    w, b = least_squares(X[:, 0], y)
    assert type(w) is float and type(b) is float


def test_two_points_give_the_line_through_them():
    w, b = least_squares([1.0, 3.0], [2.0, 8.0])
    assert (w, b) == pytest.approx((3.0, -1.0))


def test_intercept_forms_agree_for_any_slope():
    x = np.array([0.5, 1.0, 2.5, 4.0])
    y = np.array([1.0, 0.0, 2.0, 5.0])
    for w in (-3.0, 0.0, 0.7, 12.0):
        assert intercept(x, y, w, "mean") == pytest.approx(intercept(x, y, w, "sum"), rel=1e-13)


def test_slope_equals_covariance_over_variance():
    X, y = make_linear_regression(m=40, seed=3)
    x = X[:, 0]
    expected = np.cov(x, y, bias=True)[0, 1] / np.var(x)
    for formula in FORMULAS:
        assert slope(x, y, formula) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("d", [1, 2, 5])
@pytest.mark.parametrize("seed", range(3))
def test_normal_equation_matches_lstsq(d, seed):
    rng = np.random.default_rng(seed)
    true_w = rng.normal(size=d)
    X, y = make_linear_regression(m=60, weights=true_w, bias=-0.5, noise_std=0.1, seed=seed)
    A = np.column_stack([X, np.ones(len(X))])
    theta, *_ = np.linalg.lstsq(A, y, rcond=None)
    w, b = normal_equation(X, y)
    assert w.shape == (d,)
    np.testing.assert_allclose(w, theta[:d], rtol=1e-9, atol=1e-12)
    assert b == pytest.approx(theta[d], rel=1e-9)


def test_normal_equation_one_feature_equals_formula_13():
    X, y = make_linear_regression(m=25, seed=4)
    w, b = normal_equation(X, y)
    assert (w[0], b) == pytest.approx(least_squares(X[:, 0], y, method=13), rel=1e-10)
    w1, b1 = normal_equation(X[:, 0], y)
    assert (w1[0], b1) == pytest.approx((w[0], b), rel=1e-13)


def test_inputs_are_not_modified():
    X, y = make_linear_regression(m=20, weights=(1.0, 2.0), seed=5)
    X0, y0 = X.copy(), y.copy()
    normal_equation(X, y)
    least_squares(X[:, 0], y)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


# Bad input: every message names the expected and the actual value.


def test_mismatched_lengths():
    with pytest.raises(ValueError, match=r"same number of samples, got 3 and 2"):
        least_squares([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"same number of samples, got 4 and 3"):
        normal_equation(np.ones((4, 1)) * np.arange(4)[:, None], [1.0, 2.0, 3.0])


def test_fewer_than_two_samples():
    with pytest.raises(ValueError, match=r"at least 2 samples .* got 1"):
        least_squares([1.0], [2.0])
    with pytest.raises(ValueError, match=r"at least 2 samples .* got 0"):
        least_squares([], [])


def test_normal_equation_needs_d_plus_one_samples():
    with pytest.raises(ValueError, match=r"at least d \+ 1 = 4 samples .* got 3"):
        normal_equation(np.eye(3), [1.0, 2.0, 3.0])


def test_constant_x():
    with pytest.raises(ValueError, match=r"x must vary .* all 3 values equal 2\.0"):
        least_squares([2.0, 2.0, 2.0], [1.0, 2.0, 3.0])


def test_collinear_features():
    x = np.arange(6.0)
    with pytest.raises(ValueError, match=r"linearly independent \(rank 3\), got rank 2"):
        normal_equation(np.column_stack([x, 2 * x]), x)
    with pytest.raises(ValueError, match=r"rank 2\), got rank 1"):
        normal_equation(np.full((5, 1), 7.0), np.arange(5.0))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values(bad):
    with pytest.raises(
        ValueError, match=r"x must be finite \(no NaN or inf\), got (nan|inf|-inf) at index 1"
    ):
        least_squares([0.0, bad, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"y must be finite"):
        least_squares([0.0, 1.0, 2.0], [1.0, 2.0, bad])
    with pytest.raises(ValueError, match=r"X must be finite .* at index \(2, 0\)"):
        normal_equation([[0.0], [1.0], [bad], [3.0]], [1.0, 2.0, 3.0, 4.0])


def test_wrong_rank():
    with pytest.raises(ValueError, match=r"shape \(m,\) or \(m, 1\) .* got shape \(3, 2\)"):
        least_squares(np.ones((3, 2)), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"got shape \(2, 2, 1\)"):
        least_squares([1.0, 2.0], np.ones((2, 2, 1)))
    with pytest.raises(ValueError, match=r"X must have rank 2 \(m, d\), got rank 3"):
        normal_equation(np.ones((4, 2, 1)), np.ones(4))


def test_wrong_dtype():
    with pytest.raises(TypeError, match=r"real numbers .* got dtype <U1"):
        least_squares(["a", "b"], [1.0, 2.0])
    with pytest.raises(TypeError, match=r"got dtype complex128"):
        normal_equation(np.ones((3, 1)) * 1j, np.ones(3))


def test_unknown_formula_and_intercept_form():
    with pytest.raises(ValueError, match=r"formula must be one of 'centred', 13, 15, 16; got 14"):
        least_squares([0.0, 1.0], [0.0, 1.0], method=14)
    with pytest.raises(ValueError, match=r"form must be one of 'mean', 'sum'; got 'median'"):
        least_squares([0.0, 1.0], [0.0, 1.0], intercept_form="median")


def test_integer_input_is_accepted():
    assert least_squares([0, 1, 2], [1, 3, 5]) == pytest.approx((2.0, 1.0))


# Data far from 0: the textbook formulas cancel, the default stays exact (issue 10).

FAR = {
    "1e9 + k": 1e9 + np.arange(10.0),
    "1e5 + 0.001 k": 1e5 + 0.001 * np.arange(100),
}


@pytest.mark.parametrize("name", FAR)
def test_default_is_exact_far_from_zero(name):
    x = FAR[name]
    y = 3 * x + 2
    w_exact, b_exact = exact_line(x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w, b = least_squares(x, y)
    assert w == pytest.approx(float(w_exact), rel=1e-12) and w == pytest.approx(3.0, rel=1e-9)
    # b = ȳ − w x̄ inherits the error of w times x̄: allow 1e-12 · x̄ · |w|, plus round-off.
    assert b == pytest.approx(float(b_exact), abs=1e-12 * abs(x.mean()) * 3 + 1e-9)
    assert slope(x, y) == w and slope(x, y, "centred") == w


@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize("name", FAR)
def test_textbook_formulas_never_return_a_wrong_slope_silently(name, formula):
    x = FAR[name]
    y = 3 * x + 2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            w = slope(x, y, formula)
        except ValueError as err:  # not finite: refused, never inf or NaN
            assert f"slope formula {formula} gave" in str(err) and "formula='centred'" in str(err)
            return
    assert np.isfinite(w)
    if abs(w - 3.0) > 1e-8:
        assert [type(c.message) for c in caught] == [CancellationWarning]
        assert "formula='centred'" in str(caught[0].message)
        assert issubclass(CancellationWarning, RuntimeWarning)


def test_textbook_formulas_do_not_warn_on_ordinary_data():
    X, y = make_linear_regression(m=100, weights=(2.0,), bias=3.0, noise_std=0.2, seed=2026)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for formula in FORMULAS:
            least_squares(X[:, 0], y, method=formula)
            least_squares(X[:, 0] * 1e3 - 7.0, y + 100.0, method=formula)


def test_the_chapter_shift_warns_for_formula_13():
    # least_squares.ipynb shifts its x by 1e6 and shows formula 13 drifting away.
    X, y = make_linear_regression(m=100, weights=(2.0,), bias=3.0, noise_std=0.2, seed=2026)
    x_far = X[:, 0] + 1e6
    w_exact, _ = exact_line(x_far, y)
    with pytest.warns(CancellationWarning, match=r"Σx² is .* times Σ\(x − x̄\)²"):
        slope(x_far, y, 13)
    assert slope(x_far, y) == pytest.approx(float(w_exact), rel=1e-9)


def test_normal_equation_on_shifted_columns_matches_lstsq():
    X = 1e6 + np.arange(20.0)
    y = 2 * X + 1  # exact integers: the exact solution is (2, 1)
    w, b = normal_equation(X, y)
    assert w[0] == pytest.approx(2.0, rel=1e-12) and b == pytest.approx(1.0, abs=1e-6)
    A = np.column_stack([X, np.ones_like(X)])
    theta, *_ = np.linalg.lstsq(A, y, rcond=None)
    assert w[0] == pytest.approx(theta[0], rel=1e-9)
    np.testing.assert_allclose(X * w[0] + b, A @ theta, rtol=1e-12)


def test_normal_equation_on_shifted_noisy_features_matches_lstsq():
    rng = np.random.default_rng(4)
    X = np.column_stack([1e6 + rng.random(50), 1e3 + rng.random(50), rng.random(50)])
    y = X @ [1.5, -2.0, 0.5] + rng.normal(0.0, 0.1, 50)
    # lstsq on the centred problem is exact enough to be the reference here
    Xc = X - X.mean(axis=0)
    w_ref, *_ = np.linalg.lstsq(Xc, y - y.mean(), rcond=None)
    w, b = normal_equation(X, y)
    np.testing.assert_allclose(w, w_ref, rtol=1e-8)
    assert b == pytest.approx(y.mean() - X.mean(axis=0) @ w_ref, rel=1e-8)


def test_normal_equation_still_refuses_real_rank_deficiency_far_from_zero():
    x = 1e6 + np.arange(6.0)
    with pytest.raises(ValueError, match=r"linearly independent \(rank 3\), got rank 2"):
        normal_equation(np.column_stack([x, 2 * x]), x)
    with pytest.raises(ValueError, match=r"linearly independent \(rank 3\), got rank 2"):
        normal_equation(np.column_stack([x, np.full(6, 1e6)]), x)
