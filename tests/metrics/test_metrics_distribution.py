import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlnotes.metrics.distribution import mode_coverage, wasserstein_1d

finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False)


def test_two_point_masses_are_as_far_apart_as_the_points():
    assert wasserstein_1d([2.0] * 3, [-1.5] * 5) == pytest.approx(3.5, rel=1e-15)


@given(arrays(np.float64, st.integers(1, 30), elements=finite), finite)
def test_shifting_every_sample_by_c_gives_c(u, c):
    assert wasserstein_1d(u, u + c) == pytest.approx(abs(c), rel=1e-9, abs=1e-9)


@given(
    arrays(np.float64, st.integers(1, 30), elements=finite).flatmap(
        lambda u: st.tuples(st.just(u), arrays(np.float64, u.shape, elements=finite))
    )
)
def test_equal_sizes_match_the_sorted_samples_formula(pair):
    # For two samples of the same size m, W1 = (1/m) Σ |u_(i) − v_(i)| (order statistics).
    u, v = pair
    expected = np.mean(np.abs(np.sort(u) - np.sort(v)))
    assert wasserstein_1d(u, v) == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert wasserstein_1d(v, u) == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_half_the_mass_moved_by_two_costs_one():
    # u = {0, 0}, v = {0, 2}: move half the mass a distance 2.
    assert wasserstein_1d([0.0, 0.0], [0.0, 2.0]) == pytest.approx(1.0)
    assert wasserstein_1d(np.array([[0.0], [0.0]]), [0.0, 2.0]) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("u", "v", "error", "message"),
    [
        ([], [1.0], ValueError, r"u must not be empty"),
        ([1.0], [], ValueError, r"v must not be empty"),
        ([1.0, np.nan], [1.0], ValueError, r"u must be finite .* at index 1"),
        ([[1.0, 2.0]], [1.0], ValueError, r"u must have shape \(m,\) or \(m, 1\)"),
        (["a"], [1.0], TypeError, r"u must hold real numbers"),
    ],
)
def test_bad_wasserstein_arguments(u, v, error, message):
    with pytest.raises(error, match=message):
        wasserstein_1d(u, v)


CENTERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])


def test_mode_coverage_counts_by_hand():
    samples = np.array([[0.0, 0.0], [0.05, 0.0], [0.0, -0.29], [1.0, 0.2], [0.5, 0.5], [3.0, 3.0]])
    # with std 0.1 and k 3 the radius is 0.3: the first three belong to mode 0, the fourth
    # to mode 1; (0.5, 0.5) is 0.71 from every centre, (3, 3) is far from all.
    result = mode_coverage(samples, CENTERS, std=0.1)
    assert result.counts.tolist() == [3, 1, 0]
    assert result.high_quality == pytest.approx(4 / 6)
    assert result.covered == 2
    # a mode needs a share min_share of all 6 samples: 1/6 < 0.2 ≤ 3/6
    assert mode_coverage(samples, CENTERS, std=0.1, min_share=0.2).covered == 1
    assert mode_coverage(samples, CENTERS, std=0.1, k=1.0).counts.tolist() == [
        2,
        0,
        0,
    ]  # (1, 0.2) is 0.2 > 0.1 away


def test_samples_exactly_on_every_centre_cover_everything():
    result = mode_coverage(np.repeat(CENTERS, 4, axis=0), CENTERS, std=0.01)
    assert result.counts.tolist() == [4, 4, 4]
    assert result.covered == 3 and result.high_quality == 1.0


def test_mode_coverage_does_not_mutate_inputs():
    samples = np.array([[0.0, 0.0]])
    mode_coverage(samples, CENTERS, std=0.1)
    np.testing.assert_array_equal(samples, [[0.0, 0.0]])


@pytest.mark.parametrize(
    ("samples", "kwargs", "error", "message"),
    [
        (np.zeros((0, 2)), {}, ValueError, r"samples must not be empty along axis 0"),
        (np.zeros(2), {}, ValueError, r"samples must have rank 2 \(n, d\), got rank 1"),
        (np.zeros((3, 3)), {}, ValueError, r"same number of columns d, got 3 and 2"),
        (np.full((1, 2), np.inf), {}, ValueError, r"samples must be finite"),
        (np.zeros((1, 2)), {"std": 0.0}, ValueError, r"std must be > 0, got 0\.0"),
        (np.zeros((1, 2)), {"k": -1.0}, ValueError, r"k must be > 0, got -1\.0"),
        (np.zeros((1, 2)), {"min_share": 1.0}, ValueError, r"min_share must lie in \[0, 1\)"),
    ],
)
def test_bad_mode_coverage_arguments(samples, kwargs, error, message):
    with pytest.raises(error, match=message):
        mode_coverage(samples, CENTERS, **{"std": 0.1, **kwargs})
