"""dlnotes.metrics.regression.mean_squared_error, checked by hand and against scikit-learn."""

import numpy as np
import pytest

import dlnotes.metrics
from dlnotes.linear import half_mse_cost
from dlnotes.metrics.regression import mean_squared_error


def test_by_hand_without_the_factor_one_half():
    # errors 0, 1, -2: squares 0, 1, 4, mean 5/3
    assert mean_squared_error([1.0, 2.0, 3.0], [1.0, 3.0, 1.0]) == pytest.approx(5 / 3)


def test_is_twice_the_half_mse_cost():
    rng = np.random.default_rng(0)
    x, y = rng.random(30), rng.random(30)
    w, b = 0.7, -0.2
    assert mean_squared_error(y, w * x + b) == pytest.approx(2 * half_mse_cost(x, y, w, b))


def test_matches_sklearn():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(1)
    a, p = rng.normal(size=50), rng.normal(size=50)
    assert mean_squared_error(a, p) == pytest.approx(metrics.mean_squared_error(a, p), rel=1e-14)


def test_accepts_columns_and_is_exported_from_the_package():
    assert mean_squared_error([[1.0], [2.0]], [1.0, 4.0]) == 2.0
    assert dlnotes.metrics.mean_squared_error is mean_squared_error


@pytest.mark.parametrize(
    ("y_true", "y_pred", "error", "message"),
    [
        ([1.0, 2.0], [1.0, 2.0, 3.0], ValueError, r"same shape, got \(2,\) and \(3,\)"),
        ([], [], ValueError, r"y_true must not be empty, got shape \(0,\)"),
        ([1.0, np.nan], [1.0, 2.0], ValueError, r"y_true must be finite .* at index 1"),
        (["a"], [1.0], TypeError, r"y_true must hold real numbers"),
        (
            np.ones((2, 2)),
            np.ones((2, 2)),
            ValueError,
            r"y_true must have shape \(m,\) or \(m, 1\)",
        ),
    ],
)
def test_rejects_bad_input(y_true, y_pred, error, message):
    with pytest.raises(error, match=message):
        mean_squared_error(y_true, y_pred)
