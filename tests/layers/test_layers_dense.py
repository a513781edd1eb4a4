"""linear_forward / linear_backward against torch.nn.functional.linear."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.gradcheck import numerical_gradient, rel_error
from dlnotes.layers import linear_backward, linear_forward

torch = pytest.importorskip("torch")


def tensor(a):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=True)


@st.composite
def linear_cases(draw):
    n, d_in, d_out = draw(st.integers(1, 6)), draw(st.integers(1, 8)), draw(st.integers(1, 8))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return (
        rng.standard_normal((n, d_in)),
        rng.standard_normal((d_in, d_out)),
        rng.standard_normal(d_out),
        rng,
    )


@given(linear_cases())
def test_forward_and_backward_match_torch(case):
    x, w, b, rng = case
    out, cache = linear_forward(x, w, b)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = linear_backward(dout, cache)
    tx, tw, tb = tensor(x), tensor(w), tensor(b)
    expected = torch.nn.functional.linear(tx, tw.T, tb)  # torch stores the weight as (D_out, D_in)
    expected.backward(torch.tensor(dout))
    for mine, theirs in [(out, expected.detach()), (dx, tx.grad), (dw, tw.grad), (db, tb.grad)]:
        assert rel_error(mine, theirs.numpy()) <= 1e-8


def test_backward_matches_numerical_gradient():
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal(2)
    out, cache = linear_forward(x, w, b)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = linear_backward(dout, cache)
    assert rel_error(dx, numerical_gradient(lambda z: linear_forward(z, w, b)[0], x, dout)) < 1e-8
    assert rel_error(dw, numerical_gradient(lambda z: linear_forward(x, z, b)[0], w, dout)) < 1e-8
    assert rel_error(db, numerical_gradient(lambda z: linear_forward(x, w, z)[0], b, dout)) < 1e-8


def test_float32_stays_float32_and_inputs_are_not_modified():
    rng = np.random.default_rng(1)
    x, w = (rng.standard_normal(s).astype(np.float32) for s in [(3, 4), (4, 2)])
    b = rng.standard_normal(2)  # a float64 bias does not turn the output into float64
    copies = [a.copy() for a in (x, w, b)]
    out, cache = linear_forward(x, w, b)
    grads = linear_backward(np.ones_like(out), cache)
    assert all(a.dtype == np.float32 for a in (out, *grads))
    for original, copy in zip((x, w, b), copies):
        np.testing.assert_array_equal(original, copy)


BAD_CALLS = [
    (
        "x of rank 3",
        dict(x=np.ones((2, 3, 1))),
        ValueError,
        r"x must have rank 2 \(N, D_in\) \(flatten images first: x.reshape\(N, -1\)\), got rank 3",
    ),
    (
        "x of rank 1",
        dict(x=np.ones(3)),
        ValueError,
        r"x must have rank 2 \(N, D_in\) .*, got rank 1",
    ),
    (
        "w of rank 1",
        dict(w=np.ones(3)),
        ValueError,
        r"w must have rank 2 \(D_in, D_out\), got rank 1",
    ),
    (
        "D_in mismatch",
        dict(w=np.ones((4, 2))),
        ValueError,
        r"w must have shape \(3, 2\) \(D_in, D_out\) with D_in = x.shape\[1\], got \(4, 2\)",
    ),
    (
        "b of the wrong shape",
        dict(b=np.ones((1, 2))),
        ValueError,
        r"b must have shape \(2,\) \(D_out,\), got \(1, 2\)",
    ),
    ("string x", dict(x=np.array([["a"]])), TypeError, r"x must hold real numbers"),
]


@pytest.mark.parametrize(
    "change, error, message", [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
def test_bad_arguments_are_rejected(change, error, message):
    with pytest.raises(error, match=message):
        linear_forward(**(dict(x=np.ones((2, 3)), w=np.ones((3, 2)), b=np.zeros(2)) | change))


def test_backward_rejects_bad_dout_and_cache():
    out, cache = linear_forward(np.ones((2, 3)), np.ones((3, 2)), np.zeros(2))
    with pytest.raises(
        ValueError, match=r"dout must have shape \(2, 2\) like the forward output, got \(2, 3\)"
    ):
        linear_backward(np.ones((2, 3)), cache)
    with pytest.raises(TypeError, match=r"LinearCache returned by linear_forward"):
        linear_backward(out, (np.ones((2, 3)), np.ones((3, 2))))


def test_updating_x_or_w_in_place_after_the_forward_does_not_change_the_gradients():
    # torch raises when a saved tensor is modified in place; here the cache keeps its own copies
    rng = np.random.default_rng(7)
    x, w, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 2)), rng.standard_normal(2)
    dout = rng.standard_normal((4, 2))
    expected_dx, expected_dw = dout @ w.T, x.T @ dout  # computed before any update
    _, cache = linear_forward(x, w, b)
    w += 1  # an optimiser step (w -= lr * dw) before the backward pass
    x *= -2
    dx, dw, _ = linear_backward(dout, cache)
    np.testing.assert_allclose(dx, expected_dx, rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(dw, expected_dw, rtol=1e-15, atol=1e-15)


def test_converted_inputs_are_not_copied_twice():
    x, w = np.ones((2, 3), np.float32), np.ones((3, 2))  # x is converted to float64 anyway
    _, cache = linear_forward(x, w, np.zeros(2))
    assert not np.shares_memory(cache.x, x) and not np.shares_memory(cache.w, w)
    assert cache.x.dtype == np.float64
