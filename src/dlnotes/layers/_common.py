"""Small helpers shared by the layer modules (not part of the public API)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, check_shape


def check_cache(
    cache: object, cache_type: type, forward_name: str, kinds: dict[str, str] | None = None
) -> None:
    """Raise unless ``cache`` came from ``forward_name``.

    ``kinds`` maps a cache's ``kind`` field to the forward that writes it, for
    cache types shared by several layers (activations, pooling).
    """
    if not isinstance(cache, cache_type):
        raise TypeError(
            f"cache must be the {cache_type.__name__} returned by {forward_name}, "
            f"got {type(cache).__name__}"
        )
    if kinds is not None and kinds.get(cache.kind) != forward_name:
        backward_name = forward_name.replace("_forward", "_backward")
        raise ValueError(
            f"{backward_name} needs the cache of {forward_name}, "
            f"got one from {kinds.get(cache.kind, repr(cache.kind))}"
        )


def check_dout(dout: ArrayLike, shape: tuple[int, ...]) -> np.ndarray:
    """Return ``dout`` as a float array, or raise if it is not shaped like the forward output."""
    dout = as_float_array(dout, "dout")
    check_shape(dout, shape, "dout", "like the forward output")
    return dout


def private(arr: np.ndarray, given: object) -> np.ndarray:
    """Return ``arr``, copied if it may share memory with the caller's argument ``given``.

    A cache keeps what the backward pass reads. If that were the caller's own
    array, updating it in place between forward and backward (``w -= lr * dw``)
    would silently change the gradients. An array that ``as_float_array`` or
    ``astype`` already converted is new and is kept without a second copy.
    """
    if isinstance(given, np.ndarray) and np.may_share_memory(arr, given):
        return arr.copy()
    return arr


def pad_hw(x: np.ndarray, ph: int, pw: int) -> np.ndarray:
    """Zero-pad the last two axes of (N, C, H, W) by ``ph`` rows and ``pw`` columns on each side.

    Returns ``x`` itself when there is nothing to pad (callers never write to it).
    """
    if ph == 0 and pw == 0:
        return x
    n, c, h, w = x.shape
    padded = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=x.dtype)
    padded[:, :, ph : ph + h, pw : pw + w] = x  # np.pad does the same but is several times slower
    return padded
