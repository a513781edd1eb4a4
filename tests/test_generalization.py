"""dlnotes.generalization: the bias–variance decomposition, and the names it re-exports."""

import numpy as np
import pytest

import dlnotes.datasets
import dlnotes.linear.polynomial
import dlnotes.metrics.regression
from dlnotes.generalization import (
    bias_variance,
    fit_polynomial,
    make_sine_data,
    mse,
    polynomial_features,
    predict_polynomial,
)


def test_re_exports_are_the_functions_of_their_homes():
    assert make_sine_data is dlnotes.datasets.make_sine_data
    assert fit_polynomial is dlnotes.linear.polynomial.fit_polynomial
    assert polynomial_features is dlnotes.linear.polynomial.polynomial_features
    assert predict_polynomial is dlnotes.linear.polynomial.predict_polynomial
    assert mse is dlnotes.metrics.regression.mean_squared_error


def test_mse_by_hand():
    # errors 0, 1, -2: squares 0, 1, 4, mean 5/3 (no factor ½)
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


def test_bias_variance_rejects_bad_arrays():
    with pytest.raises(ValueError, match=r"predictions must have rank 2 \(R, n\), got rank 1"):
        bias_variance([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(
        ValueError, match=r"predictions must have shape \(R >= 1, n = 3 >= 1\), got \(2, 2\)"
    ):
        bias_variance(np.ones((2, 2)), np.ones(3))
    with pytest.raises(ValueError, match=r"predictions must be finite"):
        bias_variance([[1.0, np.nan]], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"same shape, got \(2,\) and \(3,\)"):
        mse([1.0, 2.0], [1.0, 2.0, 3.0])
