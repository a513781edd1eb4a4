"""dlnotes.linear.gradient_descent, checked against hand-written loops, closed forms and lstsq."""

import numpy as np
import pytest

from dlnotes.datasets import make_linear_regression
from dlnotes.linear import (
    gradient_descent,
    half_mse_cost,
    half_mse_gradients,
    least_squares,
    mse_cost,
    mse_gradients,
)


@pytest.fixture(scope="module")
def data():
    X, y = make_linear_regression(m=40, weights=(2.0,), bias=3.0, noise_std=0.2, seed=11)
    return X[:, 0], y


def reference_loop(x, y, eta, epochs, batch_size, order_per_epoch=None):
    """Plain-Python mini-batch gradient descent written from the update formulas."""
    w = b = 0.0
    m = len(x)
    for epoch in range(epochs):
        order = list(range(m)) if order_per_epoch is None else list(order_per_epoch[epoch])
        for start in range(0, m, batch_size):
            idx = order[start : start + batch_size]
            dz = [w * x[i] + b - y[i] for i in idx]
            dw = sum(d * x[i] for d, i in zip(dz, idx)) / len(idx)
            db = sum(dz) / len(idx)
            w, b = w - eta * dw, b - eta * db
    return w, b


def test_cost_matches_its_definition(data):
    x, y = data
    expected = sum((0.7 * xi - 1.2 - yi) ** 2 for xi, yi in zip(x, y)) / (2 * len(x))
    assert mse_cost(x, y, 0.7, -1.2) == pytest.approx(expected, rel=1e-13)


def test_cost_on_a_grid_matches_pointwise(data):
    x, y = data
    W, B = np.meshgrid(np.linspace(-1, 4, 5), np.linspace(0, 5, 3))
    grid = mse_cost(x, y, W, B)
    assert grid.shape == (3, 5)
    for i in range(3):
        for j in range(5):
            assert grid[i, j] == pytest.approx(mse_cost(x, y, W[i, j], B[i, j]), rel=1e-14)


def test_gradients_match_central_differences(data):
    x, y = data
    w, b, h = 0.4, 1.7, 1e-6
    dw, db = mse_gradients(x, y, w, b)
    assert dw == pytest.approx(
        (mse_cost(x, y, w + h, b) - mse_cost(x, y, w - h, b)) / (2 * h), rel=1e-7
    )
    assert db == pytest.approx(
        (mse_cost(x, y, w, b + h) - mse_cost(x, y, w, b - h)) / (2 * h), rel=1e-7
    )


def test_gradients_vanish_at_least_squares(data):
    x, y = data
    w, b = least_squares(x, y)
    assert mse_gradients(x, y, w, b) == pytest.approx((0.0, 0.0), abs=1e-12)


def test_one_sample_by_hand():
    # x = 2, y = 5, start at 0: dz = -5, dw = -10, db = -5; with eta = 0.1: w = 1, b = 0.5.
    r = gradient_descent([2.0], [5.0], eta=0.1)
    assert (r.w, r.b) == pytest.approx((1.0, 0.5), rel=1e-15)
    # then z = 2.5, dz = -2.5, dw = -5, db = -2.5: w = 1.5, b = 0.75.
    r = gradient_descent([2.0], [5.0], eta=0.1, epochs=2)
    assert (r.w, r.b) == pytest.approx((1.5, 0.75), rel=1e-15)


@pytest.mark.parametrize("batch_size", [1, 3, 7, 40])
def test_matches_reference_loop_in_order(data, batch_size):
    x, y = data
    r = gradient_descent(x, y, eta=0.2, epochs=5, batch_size=batch_size)
    w, b = reference_loop(list(x), list(y), 0.2, 5, batch_size)
    assert (r.w, r.b) == pytest.approx((w, b), rel=1e-12)
    assert r.updates == 5 * -(-40 // batch_size) and r.epochs == 5


def test_order_matters_without_shuffle(data):
    x, y = data
    forward = gradient_descent(x, y, eta=0.1)
    backward = gradient_descent(x[::-1], y[::-1], eta=0.1)
    assert abs(forward.w - backward.w) > 1e-3


def test_shuffle_uses_a_fresh_seeded_permutation_each_epoch(data):
    x, y = data
    rng = np.random.default_rng(5)
    orders = [rng.permutation(len(x)) for _ in range(3)]
    r = gradient_descent(x, y, eta=0.1, epochs=3, batch_size=4, shuffle_seed=5)
    assert (r.w, r.b) == pytest.approx(
        reference_loop(list(x), list(y), 0.1, 3, 4, orders), rel=1e-12
    )
    again = gradient_descent(x, y, eta=0.1, epochs=3, batch_size=4, shuffle_seed=5)
    assert (again.w, again.b) == (r.w, r.b)


def test_full_batch_converges_to_lstsq(data):
    x, y = data
    A = np.column_stack([x, np.ones_like(x)])
    (w_ref, b_ref), *_ = np.linalg.lstsq(A, y, rcond=None)
    r = gradient_descent(x, y, eta=1.0, epochs=5000, batch_size=len(x), record=False)
    assert (r.w, r.b) == pytest.approx((w_ref, b_ref), abs=1e-9)


def test_stop_cost_stops_at_the_first_epoch_below(data):
    x, y = data
    full = gradient_descent(x, y, eta=0.5, epochs=200, batch_size=len(x))
    target = 0.03
    first = int(np.argmax(full.epoch_cost < target))
    assert first > 1
    r = gradient_descent(x, y, eta=0.5, epochs=200, batch_size=len(x), stop_cost=target)
    assert r.converged and r.epochs == first and r.epoch_cost[-1] < target <= r.epoch_cost[-2]


def test_tol_stops_when_the_cost_stalls(data):
    x, y = data
    r = gradient_descent(x, y, eta=0.5, epochs=5000, batch_size=len(x), tol=1e-8)
    assert r.converged and r.epochs < 5000
    assert (
        abs(r.epoch_cost[-1] - r.epoch_cost[-2]) < 1e-8 <= abs(r.epoch_cost[-2] - r.epoch_cost[-3])
    )


def test_without_criteria_runs_every_epoch(data):
    x, y = data
    r = gradient_descent(x, y, eta=0.5, epochs=7, batch_size=len(x))
    assert not r.converged and r.epochs == 7


def test_divergence_is_detected_without_warnings(data):
    x, y = data
    # The largest Hessian eigenvalue of J bounds the stable step: eta > 2 / lambda_max diverges.
    H = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    eta = 2.2 / np.linalg.eigvalsh(H)[-1]
    r = gradient_descent(x, y, eta=eta, epochs=100000, batch_size=len(x))
    assert r.diverged and not r.converged and r.epochs < 100000
    assert np.isinf(r.cost_path[-1]) or r.cost_path[-1] > 1e150
    stable = gradient_descent(
        x, y, eta=1.8 / np.linalg.eigvalsh(H)[-1], epochs=2000, batch_size=len(x)
    )
    assert not stable.diverged


# Bad input: every message names the expected and the actual value.


@pytest.mark.parametrize("eta", [0.0, -0.1])
def test_rejects_non_positive_eta(data, eta):
    with pytest.raises(ValueError, match=rf"eta must be > 0, got {eta}"):
        gradient_descent(*data, eta=eta)


def test_rejects_bad_eta_types_and_values(data):
    with pytest.raises(TypeError, match=r"eta must be a real number, got '0.1' of type str"):
        gradient_descent(*data, eta="0.1")
    with pytest.raises(ValueError, match=r"eta must be finite, got nan"):
        gradient_descent(*data, eta=float("nan"))


@pytest.mark.parametrize("name", ["epochs", "batch_size"])
def test_rejects_counts_below_one(data, name):
    with pytest.raises(ValueError, match=rf"{name} must be >= 1, got 0"):
        gradient_descent(*data, eta=0.1, **{name: 0})
    with pytest.raises(TypeError, match=rf"{name} must be an integer, got 2.0 of type float"):
        gradient_descent(*data, eta=0.1, **{name: 2.0})


def test_rejects_batch_larger_than_data(data):
    with pytest.raises(
        ValueError, match=r"batch_size must be <= the number of samples m = 40, got 41"
    ):
        gradient_descent(*data, eta=0.1, batch_size=41)


def test_rejects_mismatched_x_and_y():
    with pytest.raises(ValueError, match=r"same number of samples, got 3 and 2"):
        gradient_descent([1.0, 2.0, 3.0], [1.0, 2.0], eta=0.1)
    with pytest.raises(ValueError, match=r"same number of samples, got 3 and 2"):
        mse_cost([1.0, 2.0, 3.0], [1.0, 2.0], 0.0, 0.0)
    with pytest.raises(ValueError, match=r"at least 1 sample, got 0"):
        gradient_descent([], [], eta=0.1)


def test_rejects_bad_shapes_and_values():
    with pytest.raises(
        ValueError, match=r"x must have shape \(m,\) or \(m, 1\) .* got shape \(3, 2\)"
    ):
        gradient_descent(np.ones((3, 2)), np.ones(3), eta=0.1)
    with pytest.raises(ValueError, match=r"y must be finite .* got nan at index 1"):
        gradient_descent([0.0, 1.0], [1.0, np.nan], eta=0.1)
    with pytest.raises(ValueError, match=r"w0 must be finite, got inf"):
        gradient_descent([0.0, 1.0], [1.0, 2.0], eta=0.1, w0=np.inf)
    with pytest.raises(ValueError, match=r"stop_cost must be > 0, got -1.0"):
        gradient_descent([0.0, 1.0], [1.0, 2.0], eta=0.1, stop_cost=-1.0)
    with pytest.raises(ValueError, match=r"tol must be > 0, got 0.0"):
        gradient_descent([0.0, 1.0], [1.0, 2.0], eta=0.1, tol=0.0)
    with pytest.raises(ValueError, match=r"shuffle_seed must be >= 0, got -1"):
        gradient_descent([0.0, 1.0], [1.0, 2.0], eta=0.1, shuffle_seed=-1)
    with pytest.raises(TypeError, match=r"w must be a real number, got 'a'"):
        mse_gradients([0.0], [1.0], "a", 0.0)


def test_grad_tol_bounds_the_distance_to_the_optimum(data):
    x, y = data
    w_ls, b_ls = least_squares(x, y)
    r = gradient_descent(
        x, y, eta=0.5, epochs=100000, batch_size=len(x), grad_tol=1e-6, record=False
    )
    assert r.converged and r.epochs < 100000
    gw, gb = (np.mean((r.w * x + r.b - y) * x), np.mean(r.w * x + r.b - y))
    assert np.hypot(gw, gb) < 1e-6
    # J is quadratic with Hessian H: the distance to the optimum is <= |grad| / lambda_min(H).
    H = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    assert np.hypot(r.w - w_ls, r.b - b_ls) <= 1e-6 / np.linalg.eigvalsh(H)[0]
    with pytest.raises(ValueError, match=r"grad_tol must be > 0, got -1.0"):
        gradient_descent(x, y, eta=0.5, grad_tol=-1.0)


# Names that say whether the cost carries the factor ½ (issue 10).


def test_half_mse_names_and_their_aliases():
    assert mse_cost is half_mse_cost and mse_gradients is half_mse_gradients
    # J carries ½: for residuals 1 and 3, J = (1 + 9) / (2 · 2) = 2.5, not the MSE 5.
    assert half_mse_cost([0.0, 1.0], [1.0, 3.0], 0.0, 0.0) == 2.5
    import dlnotes.linear

    assert {"half_mse_cost", "half_mse_gradients", "mse_cost", "mse_gradients"} <= set(
        dlnotes.linear.__all__
    )


def test_rejects_a_non_bool_record_flag(data):
    with pytest.raises(TypeError, match=r"record must be True or False, got 'no'"):
        gradient_descent(*data, eta=0.1, record="no")
