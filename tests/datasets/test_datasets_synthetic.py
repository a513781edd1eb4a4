import numpy as np
import pytest

from dlnotes.datasets import make_linear_regression, make_sine_data


def test_same_seed_same_data_and_different_seed_different_data():
    a = make_linear_regression(m=10, seed=7)
    b = make_linear_regression(m=10, seed=7)
    c = make_linear_regression(m=10, seed=8)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


def test_noise_free_data_lies_on_the_plane():
    X, y = make_linear_regression(m=20, weights=(1.0, -2.0, 0.5), bias=0.25, noise_std=0.0, seed=1)
    assert X.shape == (20, 3) and y.shape == (20,)
    np.testing.assert_allclose(y, X @ [1.0, -2.0, 0.5] + 0.25, rtol=0, atol=1e-15)
    assert X.min() >= 0.0 and X.max() < 1.0


def test_noise_has_the_requested_spread():
    X, y = make_linear_regression(m=20000, weights=(2.0,), bias=3.0, noise_std=0.2, seed=3)
    residual = y - (2.0 * X[:, 0] + 3.0)
    # Standard error of a sample std is about sigma / sqrt(2m) = 0.001; allow 5 of them.
    assert residual.std() == pytest.approx(0.2, abs=0.005)
    assert abs(residual.mean()) < 5 * 0.2 / np.sqrt(20000)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"m": 0}, ValueError, r"m must be >= 1, got 0"),
        ({"m": 2.5}, TypeError, r"m must be an integer, got 2\.5"),
        ({"weights": []}, ValueError, r"non-empty 1-D sequence, got shape \(0,\)"),
        ({"noise_std": -1.0}, ValueError, r"noise_std must be >= 0, got -1\.0"),
        # issue 10: these were accepted and gave inf / NaN data or data that differ per run
        ({"noise_std": np.inf}, ValueError, r"noise_std must be finite, got inf"),
        ({"bias": np.nan}, ValueError, r"bias must be finite, got nan"),
        ({"weights": [1.0, np.inf]}, ValueError, r"weights must be finite .* at index 1"),
        ({"seed": None}, TypeError, r"seed must be an integer \(the same data on every machine\)"),
        ({"seed": -1}, ValueError, r"seed must be >= 0, got -1"),
        ({"bias": "3"}, TypeError, r"bias must be a real number, got '3'"),
    ],
)
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        make_linear_regression(**kwargs)


def test_numpy_scalars_are_accepted():
    a = make_linear_regression(m=np.int64(5), bias=np.float32(3.0), seed=np.int64(7))
    b = make_linear_regression(m=5, bias=3.0, seed=7)
    np.testing.assert_array_equal(a[1], b[1])


# make_sine_data (moved here from dlnotes.generalization)


def test_sine_data_follow_the_documented_recipe():
    x, y = make_sine_data(200, noise_std=0.3, seed=9)
    rng = np.random.default_rng(9)
    x_ref = rng.uniform(-1.0, 1.0, size=200)
    y_ref = np.sin(np.pi * x_ref) + rng.normal(0.0, 0.3, size=200)
    np.testing.assert_array_equal(x, x_ref)
    np.testing.assert_array_equal(y, y_ref)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"m": 0}, ValueError, r"m must be >= 1, got 0"),
        ({"noise_std": -1}, ValueError, r"noise_std must be >= 0, got -1"),
        ({"noise_std": "0.1"}, TypeError, r"noise_std must be a real number, got '0.1'"),
        ({"noise_std": np.inf}, ValueError, r"noise_std must be finite, got inf"),
        ({"seed": None}, TypeError, r"seed must be an integer \(the same data on every machine\)"),
        ({"seed": 1.5}, TypeError, r"seed must be an integer"),
    ],
)
def test_sine_data_reject_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        make_sine_data(**{"m": 5, **kwargs})
