"""Input validation shared by every dlnotes function: one vocabulary, one wording.

Each check raises ``TypeError`` (wrong kind of value) or ``ValueError`` (right
kind, wrong value) with a message that names what was expected and what was
received, so a learner can fix the call without reading the source. The
checks return the value in the form the caller computes with (a Python
``float``, an ``int``, a float ndarray), so a caller writes
``eps = check_scalar(eps, "eps", float, min_val=0, include_boundaries="neither")``
and then only maths.

The same message shapes appear everywhere:

* ``{name} must be {kind}, got {value!r} of type {type}`` (TypeError)
* ``{name} must be >= {min}, got {value}`` and ``{name} must lie in [{min}, {max}), got {value}`` (ValueError)
* ``{a} and {b} must have the same shape, got {shape_a} and {shape_b}``
* ``{name} must not be empty, got shape {shape}``
* ``{name} must be one of {choices}, got {value!r}``

>>> check_scalar(3, "n", int, min_val=1)
3
>>> check_scalar(0.0, "eps", float, min_val=0, include_boundaries="neither")
Traceback (most recent call last):
...
ValueError: eps must be > 0, got 0.0
"""

from __future__ import annotations

import numbers
from collections.abc import Collection, Sequence
from typing import Literal, TypeVar

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "as_float_array",
    "as_samples",
    "as_generator",
    "check_scalar",
    "check_number",
    "check_positive_int",
    "check_probability",
    "check_pair",
    "check_flag",
    "check_choice",
    "check_seed",
    "check_finite",
    "check_rank",
    "check_shape",
    "check_same_shape",
    "check_nonempty",
]

T = TypeVar("T")
Boundaries = Literal["both", "left", "right", "neither"]


def _kind(value: object) -> str:
    return f"{value!r} of type {type(value).__name__}"


# --------------------------------------------------------------------------- scalars


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
    number = convert(value)
    if not np.isfinite(number):
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
    # A list or an array is unhashable and never a choice; compare without hashing.
    if not any(value is c or (type(value) is type(c) and value == c) for c in choices):
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value


def check_seed(seed: object, name: str = "seed") -> int:
    """Return ``seed`` as a non-negative int; ``None`` is refused (the data must be the same everywhere).

    >>> check_seed(None)
    Traceback (most recent call last):
    ...
    TypeError: seed must be an integer (a fixed seed gives the same data on every machine), got None of type NoneType
    """
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer (a fixed seed gives the same data on every machine), got {_kind(seed)}"
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


# --------------------------------------------------------------------------- arrays


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
    """Raise ``ValueError`` unless ``arr.ndim`` is one of ``ranks``; ``layout`` (e.g. ``"(N, C, H, W)"``) is named.

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
