import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.datasets.mixtures import (
    gaussian_mixture_pdf,
    make_gaussian_mixture_1d,
    make_ring_mixture,
    ring_centers,
)

MIX = {"means": (-2.0, 1.5, 4.0), "stds": (0.4, 0.6, 0.3), "weights": (0.3, 0.5, 0.2)}


def test_same_seed_same_samples_and_different_seed_different_samples():
    a = make_gaussian_mixture_1d(50, seed=3, **MIX)
    b = make_gaussian_mixture_1d(50, seed=3, **MIX)
    c = make_gaussian_mixture_1d(50, seed=4, **MIX)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.shape == (50,) and a.dtype == np.float64


def test_sample_moments_match_the_mixture_formulas():
    x = make_gaussian_mixture_1d(200_000, seed=1, **MIX)
    w, m, s = (np.array(MIX[key]) for key in ("weights", "means", "stds"))
    mean = np.sum(w * m)  # law of total expectation
    var = np.sum(w * (s**2 + m**2)) - mean**2  # law of total variance
    # standard error of the mean is sqrt(var / n) ≈ 0.005; of the variance ≈ var·sqrt(κ/n)
    assert x.mean() == pytest.approx(mean, abs=5 * math.sqrt(var / x.size))
    assert x.var() == pytest.approx(var, rel=0.02)


def test_component_shares_follow_the_weights():
    x = make_gaussian_mixture_1d(100_000, means=(-10.0, 10.0), stds=(1, 1), weights=(0.3, 0.7))
    share = np.mean(x > 0)
    assert share == pytest.approx(0.7, abs=5 * math.sqrt(0.21 / x.size))


def test_pdf_is_the_weighted_sum_of_normal_densities():
    from scipy.stats import norm

    x = np.linspace(-5, 6, 101)
    expected = sum(
        w * norm.pdf(x, m, s) for m, s, w in zip(MIX["means"], MIX["stds"], MIX["weights"])
    )
    np.testing.assert_allclose(gaussian_mixture_pdf(x, **MIX), expected, rtol=1e-12, atol=1e-300)


def test_pdf_integrates_to_one_and_keeps_shape_and_float32():
    x = np.linspace(-8, 8, 16001)
    p = gaussian_mixture_pdf(x, **MIX)
    assert np.sum(p) * (x[1] - x[0]) == pytest.approx(1.0, abs=1e-9)
    p32 = gaussian_mixture_pdf(np.zeros((2, 3), dtype=np.float32), **MIX)
    assert p32.shape == (2, 3) and p32.dtype == np.float32


def test_pdf_does_not_mutate_its_input():
    x = np.array([0.0, 1.0])
    gaussian_mixture_pdf(x)
    np.testing.assert_array_equal(x, [0.0, 1.0])


@given(st.integers(1, 12), st.floats(0.1, 10.0))
def test_ring_centers_lie_on_the_circle_at_equal_angles(modes, radius):
    c = ring_centers(modes, radius)
    assert c.shape == (modes, 2)
    np.testing.assert_allclose(np.hypot(c[:, 0], c[:, 1]), radius, rtol=1e-12)
    angles = np.arctan2(c[:, 1], c[:, 0])
    expected = 2 * np.pi * np.arange(modes) / modes
    diff = np.angle(np.exp(1j * (angles - expected)))  # wrapped to (−π, π]
    np.testing.assert_allclose(diff, 0.0, atol=1e-12)


def test_ring_samples_are_centre_plus_noise_of_the_requested_std():
    x, mode = make_ring_mixture(40_000, modes=8, radius=2.0, std=0.05, seed=2)
    noise = x - ring_centers(8, 2.0)[mode]
    assert noise.std(axis=0) == pytest.approx([0.05, 0.05], rel=0.03)
    counts = np.bincount(mode, minlength=8)
    assert counts.min() > 0.9 * 5000 and counts.max() < 1.1 * 5000  # 5000 ± 70 expected
    x2, _ = make_ring_mixture(40_000, modes=8, radius=2.0, std=0.05, seed=2)
    np.testing.assert_array_equal(x, x2)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 0}, ValueError, r"n must be >= 1, got 0"),
        ({"seed": None}, TypeError, r"seed must be an integer \(the same data on every machine\)"),
        ({"means": (0.0,)}, ValueError, r"same shape \(K,\), got \(1,\), \(2,\) and \(2,\)"),
        ({"stds": (0.4, 0.0)}, ValueError, r"stds must be > 0, got 0\.0 at index 1"),
        ({"weights": (-0.1, 1.1)}, ValueError, r"weights must be >= 0, got -0\.1 at index 0"),
        ({"weights": (0.5, 0.6)}, ValueError, r"weights must sum to 1, got sum 1\.1"),
        ({"means": [[0.0, 1.0]]}, ValueError, r"means must have rank 1 \(K,\), got rank 2"),
        ({"means": ()}, ValueError, r"means must not be empty"),
        ({"means": (0.0, np.nan)}, ValueError, r"means must be finite .* at index 1"),
        ({"stds": ("a", "b")}, TypeError, r"stds must hold real numbers"),
    ],
)
def test_bad_mixture_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        make_gaussian_mixture_1d(**{"n": 5, **kwargs})


def test_bad_pdf_points():
    with pytest.raises(ValueError, match=r"x must be finite .* at index 0"):
        gaussian_mixture_pdf([np.inf])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"modes": 0}, ValueError, r"modes must be >= 1, got 0"),
        ({"radius": -1.0}, ValueError, r"radius must be > 0, got -1\.0"),
        ({"std": 0.0}, ValueError, r"std must be > 0, got 0\.0"),
        ({"seed": 1.5}, TypeError, r"seed must be an integer"),
    ],
)
def test_bad_ring_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        make_ring_mixture(**{"n": 5, **kwargs})
