"""Input validation shared by every dlnotes function.

Each check raises ``TypeError`` or ``ValueError`` with a message that names
both what was expected and what was received, so a learner can fix the call
without reading the source.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "as_float_array",
    "check_finite",
    "check_rank",
    "check_shape",
    "check_positive_int",
    "check_pair",
    "check_probability",
    "check_number",
    "check_flag",
]


def as_float_array(x: object, name: str) -> np.ndarray:
    """Return ``x`` as a floating-point ndarray without copying when possible.

    Integers and booleans are converted to float64; float32/float64 are kept.
    Complex, object and string arrays are rejected.
    """
    arr = np.asarray(x)
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    if arr.dtype.kind != "f":
        raise TypeError(f"{name} must hold real numbers (a float or int dtype), got dtype {arr.dtype}")
    return arr


def check_finite(arr: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` if ``arr`` contains NaN or inf, naming the first bad index."""
    bad = ~np.isfinite(arr)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must be finite (no NaN or inf), got {arr[index].item()!r} at index {index if arr.ndim > 1 else index[0]}"
        )


def check_rank(arr: np.ndarray, ranks: int | Sequence[int], name: str, layout: str = "") -> None:
    """Raise ``ValueError`` unless ``arr.ndim`` is one of ``ranks``.

    ``layout`` (for example ``"(N, C, H, W)"``) is added to the message.
    """
    allowed = (ranks,) if isinstance(ranks, int) else tuple(ranks)
    if arr.ndim not in allowed:
        expected = " or ".join(str(r) for r in allowed)
        hint = f" {layout}" if layout else ""
        raise ValueError(f"{name} must have rank {expected}{hint}, got rank {arr.ndim} with shape {arr.shape}")


def check_shape(arr: np.ndarray, shape: tuple[int, ...], name: str) -> None:
    """Raise ``ValueError`` unless ``arr.shape == shape``."""
    if tuple(arr.shape) != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {tuple(arr.shape)}")


def check_positive_int(value: object, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int, or raise if it is not an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r} of type {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_pair(value: object, name: str, minimum: int) -> tuple[int, int]:
    """Turn an int or an (h, w) pair into a pair of ints >= ``minimum``."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or an (h, w) pair, got {value!r} of length {len(value)}")
        pair = tuple(value)
    else:
        pair = (value, value)
    h = check_positive_int(pair[0], name, minimum)
    w = check_positive_int(pair[1], name, minimum)
    return h, w


def check_probability(p: object, name: str = "p", *, allow_one: bool = False) -> float:
    """Return ``p`` as a float in [0, 1) (or [0, 1] with ``allow_one``)."""
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {p!r} of type {type(p).__name__}")
    p = float(p)
    upper_ok = p <= 1.0 if allow_one else p < 1.0
    if not (p >= 0.0 and upper_ok):
        interval = "[0, 1]" if allow_one else "[0, 1)"
        raise ValueError(f"{name} must lie in {interval}, got {p}")
    return p


def check_number(value: object, name: str, *, positive: bool = False) -> float:
    """Return ``value`` as a finite float; with ``positive``, also require > 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {value!r} of type {type(value).__name__}")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    if positive and number <= 0:
        raise ValueError(f"{name} must be > 0, got {number}")
    return number


def check_flag(value: object, name: str) -> bool:
    """Return ``value`` if it is a bool (numpy's included); refuse strings, numbers and None."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r} of type {type(value).__name__}")
    return bool(value)
