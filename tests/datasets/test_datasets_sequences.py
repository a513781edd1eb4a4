import numpy as np
import pytest

from dlnotes.datasets.sequences import ADDING_BASELINE_MSE, make_adding_problem


def test_same_seed_same_data_and_different_seed_different_data():
    a, b, c = (make_adding_problem(8, 12, seed=s) for s in (5, 5, 6))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("length", [2, 3, 10, 51])
def test_two_markers_one_in_each_half_and_the_target_is_their_sum(length):
    x, y = make_adding_problem(200, length, seed=1)
    assert x.shape == (200, length, 2) and y.shape == (200,)
    values, markers = x[:, :, 0], x[:, :, 1]
    assert set(np.unique(markers)) <= {0.0, 1.0}
    half = length // 2
    assert np.all(markers[:, :half].sum(axis=1) == 1) and np.all(markers[:, half:].sum(axis=1) == 1)
    for k in range(200):  # the sum of the two marked values, found independently
        marked = [values[k, t] for t in range(length) if markers[k, t] == 1.0]
        assert y[k] == marked[0] + marked[1]
    assert values.min() >= 0.0 and values.max() < 1.0


def test_predicting_one_gives_the_baseline_mse():
    _, y = make_adding_problem(40000, 20, seed=2)
    # the sum S of two U(0, 1) has variance 2/12; (S - 1)² has std ≈ 0.2,
    # so the sample MSE over 40000 sequences has std ≈ 1e-3: allow 4 of them
    assert abs(ADDING_BASELINE_MSE - 2 / 12) < 1e-15
    assert np.mean((y - 1.0) ** 2) == pytest.approx(2 / 12, abs=0.004)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 0}, ValueError, r"n must be >= 1, got 0"),
        ({"length": 1}, ValueError, r"length must be >= 2, got 1"),
        ({"length": 2.5}, TypeError, r"length must be an integer, got 2\.5"),
        ({"seed": None}, TypeError, r"seed must be an integer \(the same data on every machine\)"),
        ({"seed": -1}, ValueError, r"seed must be >= 0, got -1"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, error, message):
    with pytest.raises(error, match=message):
        make_adding_problem(**({"n": 4, "length": 6} | kwargs))
