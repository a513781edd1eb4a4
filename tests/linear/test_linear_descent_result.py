"""dlnotes.linear.descent_result: the recorded path of gradient_descent and its cost."""

import numpy as np
import pytest

import dlnotes.linear
from dlnotes.datasets import make_linear_regression
from dlnotes.linear import gradient_descent, least_squares, mse_cost
from dlnotes.linear.descent_result import GradientDescentResult


@pytest.fixture(scope="module")
def data():
    X, y = make_linear_regression(m=40, weights=(2.0,), bias=3.0, noise_std=0.2, seed=11)
    return X[:, 0], y


def test_path_records_start_and_every_update(data):
    x, y = data
    r = gradient_descent(x, y, eta=0.1, epochs=2, batch_size=8, w0=0.5, b0=-1.0)
    assert r.w_path.shape == r.b_path.shape == r.cost_path.shape == (11,)
    assert (r.w_path[0], r.b_path[0]) == (0.5, -1.0)
    assert (r.w_path[-1], r.b_path[-1]) == (r.w, r.b)
    for w, b, j in zip(r.w_path, r.b_path, r.cost_path):
        assert j == pytest.approx(mse_cost(x, y, w, b), rel=1e-13)
    assert r.epoch_cost.shape == (3,)
    assert r.epoch_cost[[0, 2]] == pytest.approx(r.cost_path[[0, 10]], rel=1e-13)


def test_record_false_keeps_only_epoch_costs(data):
    x, y = data
    r = gradient_descent(x, y, eta=0.1, epochs=3, record=False)
    assert r.w_path is None and r.cost_path is None and r.epoch_cost.shape == (4,)
    assert (r.w, r.b) == (
        gradient_descent(x, y, eta=0.1, epochs=3).w,
        gradient_descent(x, y, eta=0.1, epochs=3).b,
    )


# The recorded cost path is computed from a closed form, not by a pass per update (issue 10).


@pytest.mark.parametrize(
    ("x", "y", "eta", "batch_size"),
    [
        ([2.0], [5.0], 0.1, 1),  # one sample: x has no spread
        ([3.0, 3.0, 3.0], [1.0, 2.0, 4.0], 0.05, 2),  # constant x
        (1e3 + np.arange(5.0), np.arange(5.0) ** 2, 1e-7, 1),  # far from 0
    ],
)
def test_cost_path_equals_direct_evaluation_in_corner_cases(x, y, eta, batch_size):
    r = gradient_descent(x, y, eta=eta, epochs=7, batch_size=batch_size, w0=0.3, b0=-2.0)
    direct = np.array([mse_cost(x, y, w, b) for w, b in zip(r.w_path, r.b_path)])
    np.testing.assert_allclose(r.cost_path, direct, rtol=1e-12, atol=1e-14 * direct.max())


def test_cost_path_equals_direct_evaluation_near_the_optimum(data):
    # Close to the optimum J − J* is tiny; the closed form must resolve it as well as a direct pass.
    x, y = data
    r = gradient_descent(x, y, eta=0.5, epochs=300, batch_size=len(x))
    J_star = mse_cost(x, y, *least_squares(x, y))
    direct = np.array([mse_cost(x, y, w, b) for w, b in zip(r.w_path, r.b_path)])
    assert direct[-1] - J_star < 1e-10
    np.testing.assert_allclose(r.cost_path, direct, rtol=1e-13)


def test_recorded_paths_are_plain_float_arrays(data):
    x, y = data
    r = gradient_descent(x, y, eta=0.1, epochs=3, batch_size=1)
    for path in (r.w_path, r.b_path, r.cost_path):
        assert isinstance(path, np.ndarray) and path.dtype == np.float64
        assert path.shape == (3 * len(x) + 1,)


def test_the_result_type_is_re_exported_where_it_was():
    from dlnotes.linear.gradient_descent import GradientDescentResult as at_the_old_path

    r = gradient_descent([0.0, 1.0], [1.0, 3.0], eta=0.1)
    assert type(r) is GradientDescentResult
    assert dlnotes.linear.GradientDescentResult is GradientDescentResult
    assert at_the_old_path is GradientDescentResult
    assert "GradientDescentResult" in dlnotes.linear.__all__
