"""Input validation shared by every dlnotes function: one vocabulary, one wording.

Scalars (numbers, flags, choices, seeds) are checked in ``dlnotes.checks.scalars``,
arrays in ``dlnotes.checks.arrays``; import every check from ``dlnotes.checks``.

Each check raises ``TypeError`` (wrong kind of value) or ``ValueError`` (right
kind, wrong value) with a message that names what was expected and what was
received, so a learner can fix the call without reading the source. The
checks return the value in the form the caller computes with (a Python
``float``, an ``int``, a float ndarray), so a caller writes
``eps = check_scalar(eps, "eps", float, min_val=0, include_boundaries="neither")``
and then only maths.

The same message shapes appear everywhere:

* ``{name} must be {kind}, got {value!r} of type {type}`` (TypeError)
* ``{name} must be >= {min}, got {value}`` (ValueError)
* ``{name} must lie in [{min}, {max}), got {value}``
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

from dlnotes.checks.arrays import (
    as_float_array,
    as_samples,
    check_finite,
    check_nonempty,
    check_rank,
    check_same_shape,
    check_shape,
)
from dlnotes.checks.scalars import (
    as_generator,
    check_choice,
    check_flag,
    check_number,
    check_pair,
    check_positive_int,
    check_probability,
    check_scalar,
    check_seed,
)

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
