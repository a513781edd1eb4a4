"""dlnotes.checks: every check accepts what it promises, refuses the rest, and names both values."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.checks import (
    as_float_array,
    as_generator,
    as_samples,
    check_choice,
    check_finite,
    check_flag,
    check_nonempty,
    check_number,
    check_pair,
    check_positive_int,
    check_probability,
    check_rank,
    check_same_shape,
    check_scalar,
    check_seed,
    check_shape,
)

NOT_NUMBERS = ["1", None, [1], np.array([1.0]), 1j, True, np.bool_(False)]


# ------------------------------------------------------------------ check_scalar


@pytest.mark.parametrize("value", [3, np.int8(3), np.int64(3), np.uint16(3)])
def test_every_integer_type_is_an_int(value):
    result = check_scalar(value, "n", int)
    assert result == 3 and type(result) is int


@pytest.mark.parametrize("value", [0.5, np.float32(0.5), np.float64(0.5), np.float16(0.5)])
def test_every_real_type_is_a_float(value):
    result = check_scalar(value, "lr", float)
    assert result == 0.5 and type(result) is float


def test_an_int_is_a_real_number_and_becomes_a_float():
    result = check_scalar(np.int32(2), "eps", float)
    assert result == 2.0 and type(result) is float


@pytest.mark.parametrize("value", [*NOT_NUMBERS, 2.0, np.float64(2.0)])
def test_an_int_target_refuses_everything_else_by_type(value):
    with pytest.raises(TypeError, match=r"^n must be an integer, got .+ of type \w+"):
        check_scalar(value, "n", int)


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_float_target_refuses_non_numbers_by_type(value):
    with pytest.raises(TypeError, match=r"^eps must be a real number, got .+ of type \w+"):
        check_scalar(value, "eps", float)


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, np.float32("inf")])
def test_non_finite_numbers_are_refused(value):
    with pytest.raises(ValueError, match=r"^eps must be finite, got (-?inf|nan)$"):
        check_scalar(value, "eps", float)


@pytest.mark.parametrize(
    ("boundaries", "low_ok", "high_ok", "wording"),
    [
        ("both", True, True, r"lie in \[0, 1\]"),
        ("left", True, False, r"lie in \[0, 1\)"),
        ("right", False, True, r"lie in \(0, 1\]"),
        ("neither", False, False, r"lie in \(0, 1\)"),
    ],
)
def test_boundaries_decide_which_ends_are_allowed(boundaries, low_ok, high_ok, wording):
    for value, ok in ((0.0, low_ok), (1.0, high_ok)):
        if ok:
            assert (
                check_scalar(value, "p", float, min_val=0, max_val=1, include_boundaries=boundaries)
                == value
            )
        else:
            with pytest.raises(ValueError, match=rf"^p must {wording}, got {value}$"):
                check_scalar(value, "p", float, min_val=0, max_val=1, include_boundaries=boundaries)


def test_an_int_beyond_float_range_is_not_finite():
    with pytest.raises(ValueError, match=r"^eps must be finite, got inf$"):
        check_scalar(10**400, "eps", float)
    assert check_scalar(10**400, "n", int) == 10**400


def test_one_sided_ranges_are_worded_as_inequalities():
    with pytest.raises(ValueError, match=r"^eps must be > 0, got 0.0$"):
        check_scalar(0.0, "eps", float, min_val=0, include_boundaries="neither")
    with pytest.raises(ValueError, match=r"^k must be >= 2, got 1$"):
        check_scalar(1, "k", int, min_val=2)
    with pytest.raises(ValueError, match=r"^t must be <= 5, got 6.0$"):
        check_scalar(6.0, "t", float, max_val=5)


def test_an_unknown_target_type_is_a_programming_error():
    with pytest.raises(TypeError, match="target_type must be int or float"):
        check_scalar(1, "n", str)


@given(st.floats(allow_nan=False, allow_infinity=False), st.floats(-1e6, 1e6), st.floats(0, 1e6))
def test_the_range_check_agrees_with_the_interval(value, low, width):
    high = low + width
    inside = low <= value <= high
    if inside:
        assert check_scalar(value, "x", float, min_val=low, max_val=high) == value
    else:
        with pytest.raises(ValueError, match="^x must lie in"):
            check_scalar(value, "x", float, min_val=low, max_val=high)


# ------------------------------------------------------------------ wrappers over check_scalar


def test_check_number_and_positive():
    assert check_number(np.float32(-2), "w") == -2.0
    with pytest.raises(ValueError, match=r"^lr must be > 0, got 0.0$"):
        check_number(0, "lr", positive=True)


def test_check_positive_int_minimum():
    assert check_positive_int(np.int64(0), "padding", minimum=0) == 0
    with pytest.raises(ValueError, match=r"^stride must be >= 1, got 0$"):
        check_positive_int(0, "stride")
    with pytest.raises(TypeError, match=r"^stride must be an integer, got 2.0 of type float$"):
        check_positive_int(2.0, "stride")


def test_check_probability_open_and_closed_top():
    assert check_probability(np.float32(0.25)) == 0.25
    assert check_probability(1, allow_one=True) == 1.0
    with pytest.raises(ValueError, match=r"^p must lie in \[0, 1\), got 1.0$"):
        check_probability(1.0)
    with pytest.raises(ValueError, match=r"^alpha must lie in \[0, 1\], got -0.1$"):
        check_probability(-0.1, "alpha", allow_one=True)


def test_check_pair_accepts_an_int_or_two():
    assert check_pair(np.int64(3), "kernel_size", 1) == (3, 3)
    assert check_pair([2, 1], "stride", 1) == (2, 1)
    with pytest.raises(
        ValueError,
        match=r"^stride must be an int or an \(h, w\) pair, got \(1, 2, 3\) of length 3$",
    ):
        check_pair((1, 2, 3), "stride", 1)
    with pytest.raises(ValueError, match=r"^padding must be >= 0, got -1$"):
        check_pair((0, -1), "padding", 0)


# ------------------------------------------------------------------ flags, choices, seeds


@pytest.mark.parametrize("value", [True, False, np.bool_(True), np.bool_(False)])
def test_bools_pass_as_python_bools(value):
    result = check_flag(value, "flag")
    assert result is bool(value)


@pytest.mark.parametrize("value", ["False", "True", 0, 1, 1.0, None, np.array([True])])
def test_anything_else_is_refused_as_a_flag(value):
    with pytest.raises(TypeError, match=r"^flag must be True or False, got .* of type "):
        check_flag(value, "flag")


def test_check_choice_returns_the_value_and_lists_the_options():
    assert check_choice("max", "mode", ("max", "avg")) == "max"
    with pytest.raises(ValueError, match=r"^mode must be one of 'max', 'avg'; got 'MAX'$"):
        check_choice("MAX", "mode", ("max", "avg"))


@pytest.mark.parametrize("value", [["max"], np.array(["max"]), 1, True])
def test_check_choice_never_matches_by_accident(value):
    # an unhashable or differently typed value is refused without raising inside the check
    with pytest.raises(ValueError, match="^mode must be one of"):
        check_choice(value, "mode", ("max", 1.0))


def test_check_choice_keeps_int_and_bool_apart():
    assert check_choice(1, "order", (1, 2)) == 1
    assert check_choice(np.int64(2), "order", (1, 2)) == 2
    assert check_choice(np.str_("max"), "mode", ("max",)) == "max"
    with pytest.raises(ValueError):
        check_choice(2.0, "order", (1, 2))
    with pytest.raises(ValueError):
        check_choice(True, "order", (1, 2))


def test_check_seed():
    assert check_seed(np.int64(7)) == 7
    with pytest.raises(TypeError, match="same data on every machine"):
        check_seed(None)
    with pytest.raises(TypeError, match=r"^seed must be an integer"):
        check_seed(1.0)
    with pytest.raises(ValueError, match=r"^seed must be >= 0, got -1$"):
        check_seed(-1)


def test_as_generator_kinds():
    rng = np.random.default_rng(3)
    assert as_generator(rng) is rng
    assert isinstance(as_generator(None), np.random.Generator)
    a, b = as_generator(np.int32(5)).random(4), np.random.default_rng(5).random(4)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(
        TypeError, match=r"^rng must be None, an int seed or a numpy.random.Generator, got 'a'"
    ):
        as_generator("a")
    with pytest.raises(TypeError, match="rng must be None"):
        as_generator(True)
    with pytest.raises(TypeError, match="rng must be None"):
        as_generator(np.random.RandomState(0))


# ------------------------------------------------------------------ arrays


@pytest.mark.parametrize(
    ("value", "dtype"),
    [
        ([1, 2], np.float64),
        ([True, False], np.float64),
        (np.float32([1]), np.float32),
        (np.float16([1]), np.float16),
    ],
)
def test_as_float_array_dtypes(value, dtype):
    assert as_float_array(value, "x").dtype == dtype


def test_as_float_array_does_not_copy_floats():
    x = np.zeros(3)
    assert as_float_array(x, "x") is x


@pytest.mark.parametrize("value", [np.array([1j]), np.array(["a"]), np.array([None], dtype=object)])
def test_as_float_array_refuses_non_reals(value):
    with pytest.raises(
        TypeError, match=r"^x must hold real numbers \(a float or int dtype\), got dtype "
    ):
        as_float_array(value, "x")


def test_as_samples_shapes_and_finiteness():
    np.testing.assert_array_equal(as_samples(np.arange(3)[:, None], "x"), [0.0, 1.0, 2.0])
    assert as_samples(np.float32([1, 2]), "x").dtype == np.float64
    with pytest.raises(
        ValueError, match=r"^x must have shape \(m,\) or \(m, 1\) .*got shape \(2, 2\)$"
    ):
        as_samples(np.zeros((2, 2)), "x")
    with pytest.raises(
        ValueError, match=r"^y must be finite \(no NaN or inf\), got inf at index 1$"
    ):
        as_samples([0.0, np.inf], "y")


def test_check_finite_names_the_first_bad_index():
    x = np.zeros((2, 3))
    x[1, 2] = np.nan
    x[1, 1] = -np.inf
    with pytest.raises(
        ValueError, match=r"^x must be finite \(no NaN or inf\), got -inf at index \(1, 1\)$"
    ):
        check_finite(x, "x")
    check_finite(np.ones(4), "x")  # no error


def test_check_rank_lists_the_allowed_ranks():
    check_rank(np.zeros((1, 2)), (2, 4), "x")
    with pytest.raises(
        ValueError, match=r"^x must have rank 2 or 4 \(N, D\), got rank 1 with shape \(3,\)$"
    ):
        check_rank(np.zeros(3), (2, 4), "x", "(N, D)")


def test_check_shape_with_and_without_layout():
    check_shape(np.zeros((2, 3)), (2, 3), "w")
    with pytest.raises(ValueError, match=r"^w must have shape \(3, 2\), got \(2, 3\)$"):
        check_shape(np.zeros((2, 3)), (3, 2), "w")
    with pytest.raises(ValueError, match=r"^b must have shape \(4,\) \(F,\), got \(3,\)$"):
        check_shape(np.zeros(3), (4,), "b", "(F,)")


def test_check_same_shape():
    check_same_shape(np.zeros((2, 1)), np.ones((2, 1)), "a", "b")
    with pytest.raises(
        ValueError, match=r"^pred and target must have the same shape, got \(2,\) and \(1, 2\)$"
    ):
        check_same_shape(np.zeros(2), np.zeros((1, 2)), "pred", "target")


def test_check_nonempty_whole_array_and_axis():
    check_nonempty(np.zeros((1, 1)), "x")
    with pytest.raises(ValueError, match=r"^x must not be empty, got shape \(0,\)$"):
        check_nonempty(np.zeros(0), "x")
    with pytest.raises(ValueError, match=r"^w must not be empty along axis 0, got shape \(0, 3\)$"):
        check_nonempty(np.zeros((0, 3)), "w", axis=0)
    check_nonempty(np.zeros((2, 0)), "w", axis=0)  # only axis 0 is asked about
