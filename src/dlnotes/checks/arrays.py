"""Checks of arrays: dtype, finiteness, rank, shape, emptiness (see ``dlnotes.checks``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "as_float_array",
    "as_samples",
    "check_finite",
    "check_rank",
    "check_shape",
    "check_same_shape",
    "check_nonempty",
]


def as_float_array(x: ArrayLike, name: str) -> np.ndarray:
    """Return ``x`` as a floating-point ndarray without copying when possible.

    Integers and booleans are converted to float64; float16/32/64 are kept.
    Complex, object and string arrays are rejected.

    >>> as_float_array([True, False], "mask")
    array([1., 0.])
    """
    arr = np.asarray(x)
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    if arr.dtype.kind != "f":
        raise TypeError(
            f"{name} must hold real numbers (a float or int dtype), got dtype {arr.dtype}"
        )
    return arr


def as_samples(x: ArrayLike, name: str) -> np.ndarray:
    """Return one variable's samples, given as (m,) or (m, 1), as a finite float64 (m,) vector.

    >>> as_samples([[1], [2]], "x")
    array([1., 2.])
    """
    arr = as_float_array(x, name)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must have shape (m,) or (m, 1) for one input variable, got shape {arr.shape}"
        )
    check_finite(arr, name)
    return arr.astype(np.float64, copy=False)


def check_finite(arr: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` if ``arr`` contains NaN or inf, naming the first bad index.

    >>> check_finite(np.array([1.0, np.nan]), "x")
    Traceback (most recent call last):
    ...
    ValueError: x must be finite (no NaN or inf), got nan at index 1
    """
    bad = ~np.isfinite(arr)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        where = index if arr.ndim > 1 else index[0]
        raise ValueError(
            f"{name} must be finite (no NaN or inf), got {arr[index].item()!r} at index {where}"
        )


def check_rank(arr: np.ndarray, ranks: int | Sequence[int], name: str, layout: str = "") -> None:
    """Raise ``ValueError`` unless ``arr.ndim`` is one of ``ranks``.

    ``layout`` (for example ``"(N, C, H, W)"``) is named in the message.

    >>> check_rank(np.zeros((2, 3)), 4, "x", "(N, C, H, W)")
    Traceback (most recent call last):
    ...
    ValueError: x must have rank 4 (N, C, H, W), got rank 2 with shape (2, 3)
    """
    allowed = (ranks,) if isinstance(ranks, int) else tuple(ranks)
    if arr.ndim not in allowed:
        expected = " or ".join(str(r) for r in allowed)
        hint = f" {layout}" if layout else ""
        raise ValueError(
            f"{name} must have rank {expected}{hint}, got rank {arr.ndim} with shape {arr.shape}"
        )


def check_shape(arr: np.ndarray, shape: tuple[int, ...], name: str, layout: str = "") -> None:
    """Raise ``ValueError`` unless ``arr.shape == shape``; ``layout`` says what the axes mean.

    >>> check_shape(np.zeros(3), (4,), "b", "(F,)")
    Traceback (most recent call last):
    ...
    ValueError: b must have shape (4,) (F,), got (3,)
    """
    if tuple(arr.shape) != tuple(shape):
        hint = f" {layout}" if layout else ""
        raise ValueError(f"{name} must have shape {tuple(shape)}{hint}, got {tuple(arr.shape)}")


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise ``ValueError`` unless two arrays have the same shape.

    >>> check_same_shape(np.zeros(3), np.zeros((3, 1)), "pred", "target")
    Traceback (most recent call last):
    ...
    ValueError: pred and target must have the same shape, got (3,) and (3, 1)
    """
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}"
        )


def check_nonempty(arr: np.ndarray, name: str, axis: int | None = None) -> None:
    """Raise ``ValueError`` if ``arr`` has no elements (or none along ``axis``).

    >>> check_nonempty(np.zeros((0, 3)), "logits")
    Traceback (most recent call last):
    ...
    ValueError: logits must not be empty, got shape (0, 3)
    """
    empty = arr.size == 0 if axis is None else arr.shape[axis] == 0
    if empty:
        where = "" if axis is None else f" along axis {axis}"
        raise ValueError(f"{name} must not be empty{where}, got shape {arr.shape}")
