"""Dropout in its two conventions.

``p`` is the probability of DROPPING a unit, as in ``torch.nn.Dropout(p)``.
The lecture notes use ``p`` for the probability of KEEPING a unit, the
opposite; their ``p = 0.8`` is ``p = 0.2`` here.

* Inverted dropout (``inverted=True``, what PyTorch does): in training, kept
  units are scaled by ``1 / (1 - p)``; at test time the layer is the
  identity. The expected training output equals the input.
* Classic dropout (``inverted=False``, the original paper): in training, kept
  units are passed unchanged; at test time every unit is multiplied by the
  keep probability ``1 - p``, so test outputs match the expected training
  outputs.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, as_generator, check_flag, check_probability
from dlnotes.layers._common import check_cache, check_dout

__all__ = ["DropoutCache", "dropout_forward", "dropout_backward"]


class DropoutCache(NamedTuple):
    """``mask``: the factor applied to each unit in training (0, 1 or 1/(1-p)), else ``None``.

    The mask is drawn by the forward and owned by the cache, so changing ``x``
    or ``out`` in place cannot change the backward pass.
    """

    mask: np.ndarray | None
    scale: float
    shape: tuple[int, ...]


def _check_dropout(
    x: ArrayLike, p: float, train: bool, inverted: bool
) -> tuple[np.ndarray, float, bool, bool]:
    x = as_float_array(x, "x")
    p = check_probability(p, "p")
    return x, p, check_flag(train, "train"), check_flag(inverted, "inverted")


def dropout_forward(
    x: ArrayLike,
    p: float,
    *,
    train: bool = True,
    rng: int | np.random.Generator | None = None,
    inverted: bool = True,
) -> tuple[np.ndarray, DropoutCache]:
    """Drop each unit with probability ``p`` in training.

    Parameters
    ----------
    x : array_like, any shape
    p : float in [0, 1)
        Drop probability (PyTorch's convention; the lecture notes' p is the
        keep probability ``1 - p``).
    train : bool
        Training mode draws a mask; evaluation mode is deterministic.
    rng : None, int or numpy.random.Generator
        Source of the mask. An int is a seed, so the same seed gives the same
        mask; a Generator is used (and advanced) as is; None draws from a
        fresh ``numpy.random.default_rng()``, i.e. a different mask each call.
        Nothing is drawn when ``train`` is False or ``p`` is 0.
    inverted : bool
        True: scale kept units by 1/(1-p) in training, identity at test time.
        False: classic dropout, no scaling in training, multiply by 1-p at
        test time.

    Returns
    -------
    out : numpy.ndarray, shape of x
        Always a new array, also when the layer is the identity.
    cache : DropoutCache

    Examples
    --------
    >>> import numpy as np
    >>> out, _ = dropout_forward(np.ones(8), 0.5, rng=0)
    >>> sorted(set(out.tolist()))      # dropped units are 0, kept ones 1 / (1 - 0.5)
    [0.0, 2.0]
    >>> dropout_forward(np.ones(3), 0.5, train=False, inverted=False)[0]
    array([0.5, 0.5, 0.5])
    """
    x, p, train, inverted = _check_dropout(x, p, train, inverted)
    if train and p > 0:
        keep = as_generator(rng).random(x.shape) >= p  # True with probability 1 - p
        mask = keep.astype(x.dtype)
        if inverted:
            mask *= 1 / (1 - p)
        return x * mask, DropoutCache(mask, 1.0, x.shape)
    scale = 1.0 if (train or inverted) else 1 - p
    return x * scale, DropoutCache(None, scale, x.shape)


def dropout_backward(dout: ArrayLike, cache: DropoutCache) -> np.ndarray:
    """Gradient of dropout: ``dout`` times the same factor the forward applied.

    Parameters
    ----------
    dout : array_like, shape of the forward input
    cache : DropoutCache
        From ``dropout_forward``.

    Returns
    -------
    dx : numpy.ndarray, shape of dout

    Examples
    --------
    >>> import numpy as np
    >>> out, cache = dropout_forward(np.ones(4), 0.5, rng=0)
    >>> bool(np.array_equal(dropout_backward(np.ones(4), cache), out))   # dx = mask = out / x
    True
    """
    check_cache(cache, DropoutCache, "dropout_forward")
    dout = check_dout(dout, cache.shape)
    return dout * (cache.scale if cache.mask is None else cache.mask)
