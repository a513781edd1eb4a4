"""Checks of single values: numbers, flags, choices, seeds (see ``dlnotes.checks``)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection
from typing import Literal, TypeVar

import numpy as np

__all__ = [
    "check_scalar",
    "check_number",
    "check_positive_int",
    "check_probability",
    "check_pair",
    "check_flag",
    "check_choice",
    "check_seed",
    "as_generator",
]


T = TypeVar("T")
Boundaries = Literal["both", "left", "right", "neither"]


def _kind(value: object) -> str:
    return f"{value!r} of type {type(value).__name__}"


def check_scalar(
    value: object,
    name: str,
    target_type: type = float,
    *,
    min_val: float | None = None,
    max_val: float | None = None,
    include_boundaries: Boundaries = "both",
) -> float | int:
    """Return ``value`` as a Python ``int`` or ``float`` after checking its type and range.

    Modelled on :func:`sklearn.utils.check_scalar`. ``target_type=int`` accepts
    Python and numpy integers; ``target_type=float`` accepts any real number
    (numpy's included) and requires it to be finite. ``bool`` is never a
    number here, so ``True`` cannot slip in as 1.

    Raises
    ------
    TypeError
        ``value`` is not of the target type.
    ValueError
        ``value`` is NaN or infinite, or outside ``[min_val, max_val]``
        (``include_boundaries`` says which ends are allowed).

    >>> check_scalar(np.int64(2), "stride", int, min_val=1)
    2
    >>> check_scalar(True, "h", float)
    Traceback (most recent call last):
    ...
    TypeError: h must be a real number, got True of type bool
    """
    if target_type is int:
        abstract, kind, convert = numbers.Integral, "an integer", int
    elif target_type is float:
        abstract, kind, convert = numbers.Real, "a real number", float
    else:
        raise TypeError(f"target_type must be int or float, got {target_type!r}")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, abstract):
        raise TypeError(f"{name} must be {kind}, got {_kind(value)}")
    try:
        number = convert(value)
    except OverflowError:  # an int beyond float range
        number = math.inf
    if target_type is float and not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    low_ok = min_val is None or (
        number >= min_val if include_boundaries in ("both", "left") else number > min_val
    )
    high_ok = max_val is None or (
        number <= max_val if include_boundaries in ("both", "right") else number < max_val
    )
    if not (low_ok and high_ok):
        raise ValueError(
            f"{name} must {_interval(min_val, max_val, include_boundaries)}, got {number}"
        )
    return number


def _interval(low: float | None, high: float | None, boundaries: Boundaries) -> str:
    left = boundaries in ("both", "left")
    right = boundaries in ("both", "right")
    if high is None:
        return f"be {'>=' if left else '>'} {low}"
    if low is None:
        return f"be {'<=' if right else '<'} {high}"
    return f"lie in {'[' if left else '('}{low}, {high}{']' if right else ')'}"


def check_number(value: object, name: str, *, positive: bool = False) -> float:
    """Return ``value`` as a finite float; with ``positive``, also require > 0.

    >>> check_number(np.float32(0.5), "lr", positive=True)
    0.5
    """
    if positive:
        return check_scalar(value, name, float, min_val=0, include_boundaries="neither")
    return check_scalar(value, name, float)


def check_positive_int(value: object, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int, or raise if it is not an integer >= ``minimum``.

    >>> check_positive_int(0, "epochs")
    Traceback (most recent call last):
    ...
    ValueError: epochs must be >= 1, got 0
    """
    return check_scalar(value, name, int, min_val=minimum)


def check_probability(p: object, name: str = "p", *, allow_one: bool = False) -> float:
    """Return ``p`` as a float in [0, 1) (or [0, 1] with ``allow_one``).

    >>> check_probability(1.0, "p")
    Traceback (most recent call last):
    ...
    ValueError: p must lie in [0, 1), got 1.0
    """
    return check_scalar(
        p, name, float, min_val=0, max_val=1, include_boundaries="both" if allow_one else "left"
    )


def check_pair(value: object, name: str, minimum: int) -> tuple[int, int]:
    """Turn an int or an (h, w) pair into a pair of ints >= ``minimum``.

    >>> check_pair(2, "stride", 1), check_pair((3, 1), "kernel_size", 1)
    ((2, 2), (3, 1))
    """
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(
                f"{name} must be an int or an (h, w) pair, got {value!r} of length {len(value)}"
            )
        pair = tuple(value)
    else:
        pair = (value, value)
    return check_positive_int(pair[0], name, minimum), check_positive_int(pair[1], name, minimum)


def check_flag(value: object, name: str) -> bool:
    """Return ``value`` if it is a bool (numpy's included); refuse strings, numbers and None.

    >>> check_flag("False", "train")
    Traceback (most recent call last):
    ...
    TypeError: train must be True or False, got 'False' of type str
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_kind(value)}")
    return bool(value)


def check_choice(value: T, name: str, choices: Collection[T]) -> T:
    """Return ``value`` if it is one of ``choices``.

    >>> check_choice("same", "padding", ("valid", "same"))
    'same'
    >>> check_choice("Same", "padding", ("valid", "same"))
    Traceback (most recent call last):
    ...
    ValueError: padding must be one of 'valid', 'same'; got 'Same'
    """
    # Compare without hashing (a list or an array is never a choice), and only like with like:
    # np.int64(13) matches 13, but True does not match 1 and 1.0 does not match 1.
    if not any(value is c or (_kind_of(value) == _kind_of(c) and value == c) for c in choices):
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value


def _kind_of(value: object) -> type:
    if isinstance(value, (bool, np.bool_)):
        return bool
    if isinstance(value, numbers.Integral):
        return int
    if isinstance(value, numbers.Real):
        return float
    if isinstance(value, str):  # numpy's str_ included
        return str
    return type(value)


def check_seed(seed: object, name: str = "seed") -> int:
    """Return ``seed`` as a non-negative int; ``None`` is refused, since data must be reproducible.

    >>> check_seed(None)
    Traceback (most recent call last):
    ...
    TypeError: seed must be an integer (the same data on every machine), got None of type NoneType
    """
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer (the same data on every machine), got {_kind(seed)}"
        )
    return check_scalar(seed, name, int, min_val=0)


def as_generator(rng: object, name: str = "rng") -> np.random.Generator:
    """Return a ``numpy.random.Generator`` for ``None`` (fresh entropy), an int seed or a Generator.

    >>> int(as_generator(0).integers(10)) == int(as_generator(0).integers(10))
    True
    """
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_)):
        return np.random.default_rng(check_seed(rng, name))
    raise TypeError(
        f"{name} must be None, an int seed or a numpy.random.Generator, got {_kind(rng)}"
    )
