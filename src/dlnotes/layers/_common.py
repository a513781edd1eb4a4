"""Small helpers shared by the layer modules (not part of the public API)."""

from __future__ import annotations

import numpy as np

from dlnotes.checks import as_float_array


def check_cache(cache: object, cache_type: type, forward_name: str) -> None:
    """Raise ``TypeError`` unless ``cache`` came from ``forward_name``."""
    if not isinstance(cache, cache_type):
        raise TypeError(
            f"cache must be the {cache_type.__name__} returned by {forward_name}, got {type(cache).__name__}"
        )


def check_dout(dout: object, shape: tuple[int, ...]) -> np.ndarray:
    """Return ``dout`` as a float array, or raise if it is not shaped like the forward output."""
    dout = as_float_array(dout, "dout")
    if dout.shape != tuple(shape):
        raise ValueError(
            f"dout must have the shape of the forward output {tuple(shape)}, got {dout.shape}"
        )
    return dout


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
