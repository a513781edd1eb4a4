"""Sequence tasks for recurrent networks, generated from a fixed seed.

The adding problem (Hochreiter and Schmidhuber, 1997) needs a memory of the
whole sequence: the target depends on two numbers that may lie far apart and
far from the end, and everything in between is noise to be ignored.
"""

from __future__ import annotations

import numpy as np

from dlnotes.checks import check_positive_int, check_seed

__all__ = ["make_adding_problem", "ADDING_BASELINE_MSE"]

ADDING_BASELINE_MSE = 1 / 6
"""MSE of always predicting 1, the mean of the target: Var(u₁ + u₂) = 2 · 1/12 for u ~ U(0, 1)."""


def _check_adding(n: int, length: int, seed: int) -> tuple[int, int, int]:
    """The one validation step of this module: n ≥ 1, length ≥ 2, an int seed."""
    return check_positive_int(n, "n"), check_positive_int(length, "length", 2), check_seed(seed)


def make_adding_problem(n: int, length: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` sequences of the adding problem, each of ``length`` steps with two channels.

    Channel 0 holds numbers drawn uniformly from [0, 1); channel 1 marks two
    steps with 1 (one in the first half, one in the second half) and is 0
    elsewhere. The target is the sum of the two marked numbers, in [0, 2).
    Predicting its mean, 1, gives the mean squared error ``ADDING_BASELINE_MSE = 1/6``.

    Parameters
    ----------
    n : int
        Number of sequences, ≥ 1.
    length : int
        Steps per sequence T, ≥ 2.
    seed : int
        Seed for ``numpy.random.default_rng``, ≥ 0.

    Returns
    -------
    x : ndarray, shape (n, length, 2)
        Batch first, as ``torch.nn.RNN(..., batch_first=True)`` reads it.
    y : ndarray, shape (n,)

    Examples
    --------
    >>> x, y = make_adding_problem(3, 10, seed=0)
    >>> x.shape, y.shape, x[:, :, 1].sum(axis=1).tolist()
    ((3, 10, 2), (3,), [2.0, 2.0, 2.0])
    >>> bool(np.allclose(y, (x[:, :, 0] * x[:, :, 1]).sum(axis=1)))
    True
    """
    n, length, seed = _check_adding(n, length, seed)
    rng = np.random.default_rng(seed)
    values = rng.random((n, length))
    half = length // 2
    first = rng.integers(0, half, size=n)  # a step in [0, T/2)
    second = rng.integers(half, length, size=n)  # a step in [T/2, T)
    markers = np.zeros((n, length))
    rows = np.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    y = values[rows, first] + values[rows, second]
    return np.stack([values, markers], axis=2), y
