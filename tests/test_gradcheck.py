"""dlnotes.gradcheck: numerical_gradient and rel_error."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlnotes.gradcheck import numerical_gradient, rel_error


def test_gradient_of_a_scalar_function():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    grad = numerical_gradient(lambda z: np.sum(z**3), x)
    np.testing.assert_allclose(grad, 3 * x**2, rtol=1e-8)


def test_array_output_without_dout_is_summed():
    x = np.array([0.3, -1.2, 2.0])
    np.testing.assert_allclose(numerical_gradient(np.sin, x), np.cos(x), rtol=1e-8)


def test_dout_weights_the_outputs():
    x = np.array([0.3, -1.2])
    a = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    dout = np.array([1.0, -1.0, 2.0])
    # f(x) = a @ x, so the gradient of sum(f(x) * dout) is a.T @ dout
    np.testing.assert_allclose(numerical_gradient(lambda z: a @ z, x, dout), a.T @ dout, rtol=1e-8)


def test_x_is_left_untouched_even_for_float32_and_int_inputs():
    seen = []
    x = np.array([1.0, 2.0], dtype=np.float32)
    x_before = x.copy()
    grad = numerical_gradient(lambda z: seen.append(z is x) or z @ z, x)
    assert not any(seen)  # f never sees the caller's array
    np.testing.assert_array_equal(x, x_before)
    assert grad.dtype == np.float64
    np.testing.assert_allclose(grad, [2.0, 4.0], rtol=1e-8)
    np.testing.assert_allclose(numerical_gradient(lambda z: z @ z, [1, 2]), [2.0, 4.0], rtol=1e-8)


def test_helpful_errors():
    with pytest.raises(TypeError, match=r"got a tuple; .*forward\(z, \.\.\.\)\[0\]"):
        numerical_gradient(lambda z: (z, None), np.ones(2))
    with pytest.raises(ValueError, match=r"dout must have shape \(2,\) like f\(x\), got \(3,\)"):
        numerical_gradient(lambda z: z, np.ones(2), dout=np.ones(3))


@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=4), elements=st.floats(-3, 3)))
def test_numerical_gradient_of_a_polynomial_is_accurate(x):
    # f(z) = sum(z**2 + 3 z), gradient 2 z + 3; central differences are exact up to rounding
    # for quadratics
    grad = numerical_gradient(lambda z: np.sum(z**2 + 3 * z), x)
    np.testing.assert_allclose(grad, 2 * x + 3, atol=1e-6)


def test_rel_error_values():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error([1.0, -2.0], [-1.0, 2.0]) == 1.0  # max|a - b| = 4, max(|a| + |b|) = 4
    assert rel_error([3.0], [1.0]) == pytest.approx(0.5)
    assert rel_error(np.array([]), np.array([])) == 0.0
    assert np.isnan(rel_error([np.nan], [1.0]))


def test_rel_error_is_normwise_so_tiny_entries_do_not_dominate():
    # element-wise |a-b| / (|a|+|b|) would be 1 at the second entry
    assert rel_error([1.0, 1e-17], [1.0, 0.0]) < 1e-16


@given(st.integers(1, 20), st.floats(1e-12, 1e-3), st.integers(0, 2**32 - 1))
def test_rel_error_is_symmetric_and_scale_invariant(size, noise, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(size)
    b = a + noise * rng.standard_normal(size)
    assert rel_error(a, b) == rel_error(b, a)
    assert rel_error(1e6 * a, 1e6 * b) == pytest.approx(rel_error(a, b), rel=1e-9)
    assert rel_error(a, b) <= noise * 10 / np.max(np.abs(a))


def test_rel_error_rejects_different_shapes():
    with pytest.raises(ValueError, match=r"same shape, got \(2,\) and \(2, 1\)"):
        rel_error(np.ones(2), np.ones((2, 1)))


STEP_ERRORS = [
    ("string", "1e-5", TypeError, r"h must be a real number, got '1e-5' of type str"),
    ("bool", True, TypeError, r"h must be a real number, got True of type bool"),
    ("zero", 0, ValueError, r"h must be > 0, got 0"),
    ("negative", -1e-5, ValueError, r"h must be > 0, got -1e-05"),
    ("inf", np.inf, ValueError, r"h must be finite, got inf"),
    ("nan", float("nan"), ValueError, r"h must be finite, got nan"),
]


@pytest.mark.parametrize(
    "h, error, message", [c[1:] for c in STEP_ERRORS], ids=[c[0] for c in STEP_ERRORS]
)
def test_bad_step_sizes_are_rejected(h, error, message):
    # the old code raised ValueError for a string, and returned NaN for h = inf
    with pytest.raises(error, match=message):
        numerical_gradient(lambda z: z, np.ones(2), h=h)


@pytest.mark.parametrize("h", [np.float32(1e-3), np.float64(1e-6), 1])
def test_numpy_and_integer_step_sizes_are_accepted(h):
    # f(z) = 3 z + 1 is linear, so central differences are exact up to rounding for every h
    grad = numerical_gradient(lambda z: 3 * z + 1, np.array([0.5, -2.0]), h=h)
    np.testing.assert_allclose(grad, [3.0, 3.0], rtol=1e-6)


def test_bad_f_x_and_dout_are_rejected():
    with pytest.raises(TypeError, match=r"f must be callable, got 3 of type int"):
        numerical_gradient(3, np.ones(2))
    with pytest.raises(TypeError, match=r"x must hold real numbers .* got dtype <U1"):
        numerical_gradient(np.sin, np.array(["a", "b"]))
    with pytest.raises(ValueError, match=r"x must be finite \(no NaN or inf\), got nan at index 1"):
        numerical_gradient(np.sin, [0.0, np.nan])
    with pytest.raises(TypeError, match=r"dout must hold real numbers"):
        numerical_gradient(np.sin, np.ones(2), dout=np.array([1j, 2j]))
    with pytest.raises(TypeError, match=r"a must hold real numbers"):
        rel_error(["x"], [1.0])
