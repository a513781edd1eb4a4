"""ReLU, sigmoid and tanh against PyTorch."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dlnotes.gradcheck import numerical_gradient, rel_error
from dlnotes.layers import (
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    tanh_backward,
    tanh_forward,
)

torch = pytest.importorskip("torch")

ACTIVATIONS = {
    "relu": (relu_forward, relu_backward, torch.relu),
    "sigmoid": (sigmoid_forward, sigmoid_backward, torch.sigmoid),
    "tanh": (tanh_forward, tanh_backward, torch.tanh),
}

# Arrays of rank 1 to 4 with moderate values, zeros included (ReLU's kink)
arrays = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=1, max_dims=4, max_side=4),
    elements=st.one_of(st.just(0.0), st.floats(-30, 30)),
)


@pytest.mark.parametrize("name", ACTIVATIONS)
@given(x=arrays, data=st.data())
def test_forward_and_backward_match_torch(name, x, data):
    forward, backward, torch_fn = ACTIVATIONS[name]
    dout = data.draw(hnp.arrays(np.float64, x.shape, elements=st.floats(-3, 3)))
    out, cache = forward(x)
    dx = backward(dout, cache)
    tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    expected = torch_fn(tx)
    expected.backward(torch.tensor(dout))
    assert rel_error(out, expected.detach().numpy()) <= 1e-8
    # Near saturation (|x| > 9.8 for tanh) the derivative 1 - t**2 is about 1e-8 and cancels, and
    # numpy's and torch's tanh may differ by one ulp there. So the error is measured against the
    # size of dout (the scale of dx where the derivative is of order 1), not just against dx.
    floor = 1e-6 * float(np.max(np.abs(dout), initial=0.0))
    error = float(np.max(np.abs(dx - tx.grad.numpy()), initial=0.0))
    assert error <= 1e-8 * max(
        float(np.max(np.abs(dx) + np.abs(tx.grad.numpy()), initial=0.0)), floor
    )


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_backward_matches_numerical_gradient(name):
    forward, backward, _ = ACTIVATIONS[name]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4)) + 0.1  # away from ReLU's kink at 0
    x[np.abs(x) < 0.05] = 0.5
    dout = rng.standard_normal(x.shape)
    dx = backward(dout, forward(x)[1])
    assert rel_error(dx, numerical_gradient(lambda z: forward(z)[0], x, dout)) < 1e-8


def test_relu_gradient_at_zero_is_zero_like_torch():
    dx = relu_backward(np.array([5.0, 5.0, 5.0]), relu_forward(np.array([-1.0, 0.0, 1.0]))[1])
    np.testing.assert_array_equal(dx, [0.0, 0.0, 5.0])


def test_sigmoid_does_not_overflow_for_huge_inputs():
    out, cache = sigmoid_forward(np.array([-1e4, -800.0, 0.0, 800.0, 1e4]))
    np.testing.assert_array_equal(out, [0.0, 0.0, 0.5, 1.0, 1.0])
    assert np.all(np.isfinite(sigmoid_backward(np.ones(5), cache)))


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_float32_stays_float32_and_input_is_not_modified(name):
    forward, backward, _ = ACTIVATIONS[name]
    x = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    x_copy = x.copy()
    out, cache = forward(x)
    dx = backward(np.ones_like(out), cache)
    assert out.dtype == dx.dtype == np.float32
    np.testing.assert_array_equal(x, x_copy)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_backward_rejects_bad_dout_and_foreign_cache(name):
    forward, backward, _ = ACTIVATIONS[name]
    _, cache = forward(np.ones((2, 3)))
    with pytest.raises(
        ValueError, match=r"dout must have shape \(2, 3\) like the forward output, got \(3, 2\)"
    ):
        backward(np.ones((3, 2)), cache)
    other = "tanh" if name != "tanh" else "relu"
    with pytest.raises(
        ValueError, match=f"needs the cache of {name}_forward, got one from {other}_forward"
    ):
        backward(np.ones((2, 3)), ACTIVATIONS[other][0](np.ones((2, 3)))[1])
    with pytest.raises(TypeError, match="must hold real numbers"):
        forward(np.array(["a"]))


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_changing_x_or_out_in_place_does_not_change_dx(name):
    # torch raises when a tensor saved for backward is modified in place; here the cache owns it
    forward, backward, torch_fn = ACTIVATIONS[name]
    x = np.array([-2.0, -0.5, 0.5, 2.0])
    dout = np.array([1.0, 2.0, 3.0, 4.0])
    tx = torch.tensor(x, requires_grad=True)
    torch_fn(tx).backward(torch.tensor(dout))
    out, cache = forward(x)
    x *= -1  # flips ReLU's mask
    out += 1  # changes s * (1 - s) and 1 - t**2
    assert rel_error(backward(dout, cache), tx.grad.numpy()) <= 1e-15


def test_relu_of_minus_infinity_is_zero():
    out, cache = relu_forward(np.array([-np.inf, np.inf]))
    np.testing.assert_array_equal(out, [0.0, np.inf])
    np.testing.assert_array_equal(relu_backward(np.ones(2), cache), [0.0, 1.0])
