"""How close generated samples are to real ones: a 1-D distance and a count of covered modes.

* :func:`wasserstein_1d` is the 1-Wasserstein (earth mover's) distance between two
  empirical distributions on the line, ``W₁ = ∫ |F_u(t) − F_v(t)| dt``, computed by
  ``scipy.stats.wasserstein_distance``. Shifting every sample by c gives W₁ = |c|.
* :func:`mode_coverage` asks, for a mixture with known centres, how many samples
  land within ``k · std`` of each centre, how many modes receive at least a share
  ``min_share`` of all samples (the modes "covered"), and what share of all samples
  is that close to some centre (the "high-quality" share).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import (
    as_float_array,
    as_samples,
    check_finite,
    check_nonempty,
    check_number,
    check_probability,
    check_rank,
)

__all__ = ["wasserstein_1d", "ModeCoverage", "mode_coverage"]


class ModeCoverage(NamedTuple):
    """Result of :func:`mode_coverage`."""

    counts: np.ndarray  # (K,) samples within k·std of each centre
    covered: int  # modes with counts ≥ min_share · n
    high_quality: float  # share of samples within k·std of some centre


def _check_samples_2d(samples: ArrayLike, centers: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Validate samples (n, d) and centers (K, d): finite, non-empty, the same d."""
    arrays = []
    for value, name, layout in ((samples, "samples", "(n, d)"), (centers, "centers", "(K, d)")):
        arr = as_float_array(value, name).astype(np.float64)
        check_rank(arr, 2, name, layout)
        check_nonempty(arr, name, axis=0)
        check_finite(arr, name)
        arrays.append(arr)
    if arrays[0].shape[1] != arrays[1].shape[1]:
        raise ValueError(
            "samples and centers must have the same number of columns d, got "
            f"{arrays[0].shape[1]} and {arrays[1].shape[1]}"
        )
    return arrays[0], arrays[1]


def wasserstein_1d(u: ArrayLike, v: ArrayLike) -> float:
    """1-Wasserstein distance ``∫ |F_u(t) − F_v(t)| dt`` between two sets of 1-D samples.

    Parameters
    ----------
    u, v : array_like, shape (m,) or (m, 1), and (n,) or (n, 1)
        Samples of the two distributions (finite, non-empty); m and n may differ.

    Returns
    -------
    float

    Examples
    --------
    >>> wasserstein_1d([0.0, 1.0, 3.0], [0.5, 1.5, 3.5])
    0.5
    """
    from scipy.stats import wasserstein_distance

    u, v = as_samples(u, "u"), as_samples(v, "v")
    check_nonempty(u, "u")
    check_nonempty(v, "v")
    return float(wasserstein_distance(u, v))


def mode_coverage(
    samples: ArrayLike,
    centers: ArrayLike,
    std: float,
    k: float = 3.0,
    min_share: float = 0.02,
) -> ModeCoverage:
    """Count the samples near each mode, the modes covered, and the high-quality share.

    A sample is near mode j when centre j is its nearest centre and lies within
    ``k · std``. Mode j is covered when at least ``min_share · n`` samples are near it.

    Parameters
    ----------
    samples : array_like, shape (n, d)
    centers : array_like, shape (K, d)
    std : float
        Standard deviation of each mode, > 0.
    k : float
        Radius in units of std, > 0.
    min_share : float
        Share of all n samples a mode needs to count as covered, in [0, 1).

    Returns
    -------
    ModeCoverage
        ``counts`` (K,), ``covered`` (int) and ``high_quality`` (float in [0, 1]).

    Examples
    --------
    >>> result = mode_coverage([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0]], [[0, 0], [1, 0]], std=0.1)
    >>> result.counts.tolist(), result.covered, round(result.high_quality, 3)
    ([2, 0], 1, 0.667)
    """
    samples, centers = _check_samples_2d(samples, centers)
    radius = check_number(k, "k", positive=True) * check_number(std, "std", positive=True)
    min_share = check_probability(min_share, "min_share")
    distance = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=2)  # (n, K)
    nearest = distance.argmin(axis=1)
    near = distance.min(axis=1) <= radius
    counts = np.bincount(nearest[near], minlength=len(centers))
    covered = int(np.sum(counts >= min_share * len(samples)))
    return ModeCoverage(counts, covered, float(near.mean()))
