"""Gaussian mixtures, the toy data of generative models: a 1-D mixture and a 2-D ring.

A mixture of K Gaussians draws a component k with probability ``weights[k]``,
then a sample from ``N(means[k], stds[k]²)``; its density is

    p(x) = Σ_k weights[k] · N(x; means[k], stds[k]²).

The 2-D ring puts K equal components of standard deviation ``std`` on a circle
of radius ``radius``, the usual test of whether a generator covers every mode.
Every sampler draws from ``numpy.random.default_rng(seed)``, so the same
arguments give the same samples on every machine.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import (
    as_float_array,
    check_finite,
    check_nonempty,
    check_number,
    check_positive_int,
    check_rank,
    check_seed,
)

__all__ = [
    "make_gaussian_mixture_1d",
    "gaussian_mixture_pdf",
    "ring_centers",
    "make_ring_mixture",
]


def _check_mixture(
    means: ArrayLike, stds: ArrayLike, weights: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The one validation step: three finite (K,) vectors, stds > 0, weights ≥ 0 summing to 1."""
    arrays = []
    for value, name in ((means, "means"), (stds, "stds"), (weights, "weights")):
        arr = as_float_array(value, name).astype(np.float64)
        check_rank(arr, 1, name, "(K,)")
        check_nonempty(arr, name)
        check_finite(arr, name)
        arrays.append(arr)
    means, stds, weights = arrays
    if not (means.shape == stds.shape == weights.shape):
        raise ValueError(
            "means, stds and weights must have the same shape (K,), got "
            f"{means.shape}, {stds.shape} and {weights.shape}"
        )
    if stds.min() <= 0:
        raise ValueError(f"stds must be > 0, got {stds.min()} at index {int(stds.argmin())}")
    if weights.min() < 0:
        raise ValueError(
            f"weights must be >= 0, got {weights.min()} at index {int(weights.argmin())}"
        )
    if abs(weights.sum() - 1.0) > 1e-9:
        raise ValueError(f"weights must sum to 1, got sum {float(weights.sum())!r}")
    return means, stds, weights


def make_gaussian_mixture_1d(
    n: int,
    means: ArrayLike = (-2.0, 1.5),
    stds: ArrayLike = (0.4, 0.6),
    weights: ArrayLike = (0.4, 0.6),
    seed: int = 0,
) -> np.ndarray:
    """Draw n samples of a 1-D Gaussian mixture: component k, then ``N(means[k], stds[k]²)``.

    Parameters
    ----------
    n : int
        Number of samples, ≥ 1.
    means, stds, weights : array_like, shape (K,)
        Component means, standard deviations (> 0) and weights (≥ 0, sum 1).
    seed : int
        Seed for ``numpy.random.default_rng``, ≥ 0.

    Returns
    -------
    x : ndarray, shape (n,), float64

    Examples
    --------
    >>> x = make_gaussian_mixture_1d(4, means=(0.0, 10.0), stds=(1e-9, 1e-9), weights=(0, 1))
    >>> x.round(6).tolist()
    [10.0, 10.0, 10.0, 10.0]
    """
    n, seed = check_positive_int(n, "n"), check_seed(seed)
    means, stds, weights = _check_mixture(means, stds, weights)
    rng = np.random.default_rng(seed)
    k = rng.choice(len(weights), size=n, p=weights)
    return rng.normal(means[k], stds[k])


def gaussian_mixture_pdf(
    x: ArrayLike,
    means: ArrayLike = (-2.0, 1.5),
    stds: ArrayLike = (0.4, 0.6),
    weights: ArrayLike = (0.4, 0.6),
) -> np.ndarray:
    """Density ``p(x) = Σ_k weights[k] · N(x; means[k], stds[k]²)`` of a 1-D mixture.

    Parameters
    ----------
    x : array_like, any shape
        Points (finite); float32 in gives float32 out.
    means, stds, weights : array_like, shape (K,)
        As in :func:`make_gaussian_mixture_1d`.

    Returns
    -------
    p : ndarray, the shape of x

    Examples
    --------
    >>> p = gaussian_mixture_pdf([0.0], means=(0.0,), stds=(1.0,), weights=(1.0,))
    >>> bool(np.isclose(p[0], 1 / np.sqrt(2 * np.pi)))
    True
    """
    xs = as_float_array(x, "x")
    check_finite(xs, "x")
    means, stds, weights = _check_mixture(means, stds, weights)
    z = (xs[..., None] - means) / stds
    p = np.sum(weights * np.exp(-0.5 * z**2) / (stds * np.sqrt(2 * np.pi)), axis=-1)
    return p.astype(xs.dtype if xs.dtype != np.float16 else np.float32, copy=False)


def ring_centers(modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """The K centres ``radius · (cos 2πk/K, sin 2πk/K)``, k = 0, …, K−1, of the ring mixture.

    Returns
    -------
    centers : ndarray, shape (modes, 2)

    Examples
    --------
    >>> ring_centers(4, 1.0).round(6).tolist()
    [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [-0.0, -1.0]]
    """
    modes = check_positive_int(modes, "modes")
    radius = check_number(radius, "radius", positive=True)
    angle = 2 * np.pi * np.arange(modes) / modes
    return radius * np.stack([np.cos(angle), np.sin(angle)], axis=1)


def make_ring_mixture(
    n: int, modes: int = 8, radius: float = 2.0, std: float = 0.05, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Draw n points of the ring: a uniformly chosen centre plus ``N(0, std² I)`` noise.

    Parameters
    ----------
    n : int
        Number of samples, ≥ 1.
    modes : int
        Number of Gaussians K on the circle, ≥ 1.
    radius, std : float
        Radius of the circle and standard deviation of each Gaussian, both > 0.
    seed : int
        Seed for ``numpy.random.default_rng``, ≥ 0.

    Returns
    -------
    x : ndarray, shape (n, 2)
        The samples.
    mode : ndarray of int, shape (n,)
        The index of each sample's Gaussian, in the order of :func:`ring_centers`.

    Examples
    --------
    >>> x, mode = make_ring_mixture(5, modes=4, std=1e-9, seed=0)
    >>> bool(np.allclose(np.hypot(x[:, 0], x[:, 1]), 2.0)), x.shape
    (True, (5, 2))
    """
    n, seed = check_positive_int(n, "n"), check_seed(seed)
    std = check_number(std, "std", positive=True)
    centers = ring_centers(modes, radius)
    rng = np.random.default_rng(seed)
    mode = rng.integers(len(centers), size=n)
    return centers[mode] + std * rng.normal(size=(n, 2)), mode
