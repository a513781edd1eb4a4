"""Max and average pooling against PyTorch."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.gradcheck import numerical_gradient, rel_error
from dlnotes.layers import (
    avgpool2d_backward,
    avgpool2d_forward,
    maxpool2d_backward,
    maxpool2d_forward,
)

torch = pytest.importorskip("torch")
F = torch.nn.functional

POOLS = {
    "max": (maxpool2d_forward, maxpool2d_backward, F.max_pool2d),
    "avg": (avgpool2d_forward, avgpool2d_backward, F.avg_pool2d),
}


def tensor(a):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=True)


def distinct_values(rng, shape):
    """Random values without ties, so the maximum of every window is unique."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) / 7.0 - 3.0


@st.composite
def pool_cases(draw):
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = draw(
        st.one_of(st.none(), st.integers(1, 4), st.tuples(st.integers(1, 4), st.integers(1, 4)))
    )
    h, w = (draw(st.integers(k, k + 7)) for k in kernel)
    shape = (draw(st.integers(1, 3)), draw(st.integers(1, 3)), h, w)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kernel = kernel[0] if kernel[0] == kernel[1] and draw(st.booleans()) else kernel
    return distinct_values(rng, shape), kernel, stride, rng.standard_normal


def torch_pool(torch_fn, x, kernel, stride, dout):
    tx = tensor(x)
    out = torch_fn(tx, kernel, stride)
    out.backward(torch.tensor(dout))
    return out.detach().numpy(), tx.grad.numpy()


@pytest.mark.parametrize("kind", POOLS)
@given(pool_cases())
def test_forward_and_backward_match_torch(kind, case):
    forward, backward, torch_fn = POOLS[kind]
    x, kernel, stride, normal = case
    out, cache = forward(x, kernel, stride)
    dout = normal(out.shape)
    dx = backward(dout, cache)
    expected_out, expected_dx = torch_pool(torch_fn, x, kernel, stride, dout)
    assert out.shape == expected_out.shape and dx.shape == x.shape
    assert rel_error(out, expected_out) <= 1e-8
    assert rel_error(dx, expected_dx) <= 1e-8


EDGE_CASES = {
    "1x1 window": dict(shape=(2, 2, 3, 4), kernel=1, stride=None),
    "window as large as the input": dict(shape=(2, 3, 4, 5), kernel=(4, 5), stride=None),
    "stride larger than the window": dict(shape=(1, 2, 9, 8), kernel=2, stride=3),
    "overlapping windows": dict(shape=(2, 1, 6, 7), kernel=3, stride=1),
    "odd size, last row dropped": dict(shape=(1, 1, 7, 5), kernel=2, stride=None),
    "non-square window and stride": dict(shape=(2, 2, 7, 9), kernel=(2, 3), stride=(1, 2)),
}


@pytest.mark.parametrize("kind", POOLS)
@pytest.mark.parametrize("config", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_edge_cases_match_torch_and_numerical_gradient(kind, config):
    forward, backward, torch_fn = POOLS[kind]
    rng = np.random.default_rng(0)
    x = distinct_values(rng, config["shape"])
    out, cache = forward(x, config["kernel"], config["stride"])
    dout = rng.standard_normal(out.shape)
    dx = backward(dout, cache)
    expected_out, expected_dx = torch_pool(torch_fn, x, config["kernel"], config["stride"], dout)
    assert rel_error(out, expected_out) <= 1e-8
    assert rel_error(dx, expected_dx) <= 1e-8
    numerical = numerical_gradient(
        lambda z: forward(z, config["kernel"], config["stride"])[0], x, dout
    )
    assert rel_error(dx, numerical) < 1e-7


def test_max_ties_route_to_the_first_maximum_in_row_major_order():
    """Like torch, a window with several equal maxima sends its whole gradient to the first one."""
    x = np.array(
        [[[[1.0, 3.0, 2.0, 2.0], [3.0, 3.0, 2.0, 2.0]]]]
    )  # windows [[1, 3], [3, 3]] and all 2s
    out, cache = maxpool2d_forward(x, 2)
    dx = maxpool2d_backward(np.array([[[[10.0, 20.0]]]]), cache)
    np.testing.assert_array_equal(out, [[[[3.0, 2.0]]]])
    np.testing.assert_array_equal(dx, [[[[0.0, 10.0, 20.0, 0.0], [0.0, 0.0, 0.0, 0.0]]]])
    _, expected_dx = torch_pool(F.max_pool2d, x, 2, None, np.array([[[[10.0, 20.0]]]]))
    np.testing.assert_array_equal(dx, expected_dx)


def test_max_ties_with_overlapping_windows_match_torch():
    x = np.zeros((1, 1, 4, 5))
    x[0, 0, 1:3, 1:4] = 1.0  # a plateau shared by several overlapping windows
    out, cache = maxpool2d_forward(x, 2, 1)
    dout = np.arange(1.0, 1.0 + out.size).reshape(out.shape)
    _, expected_dx = torch_pool(F.max_pool2d, x, 2, 1, dout)
    np.testing.assert_array_equal(maxpool2d_backward(dout, cache), expected_dx)


@pytest.mark.parametrize("kind", POOLS)
def test_float32_stays_float32(kind):
    forward, backward, _ = POOLS[kind]
    x = distinct_values(np.random.default_rng(1), (2, 3, 6, 6))
    out, cache = forward(x.astype(np.float32), 2)
    dx = backward(np.ones(out.shape, np.float32), cache)
    assert out.dtype == dx.dtype == np.float32
    np.testing.assert_allclose(out, forward(x, 2)[0], rtol=1e-6)


@pytest.mark.parametrize("kind", POOLS)
def test_inputs_are_not_modified(kind):
    forward, backward, _ = POOLS[kind]
    x = distinct_values(np.random.default_rng(2), (2, 2, 5, 5))
    x_copy = x.copy()
    out, cache = forward(x, 3, 1)
    dout = np.ones_like(out)
    backward(dout, cache)
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_array_equal(dout, np.ones_like(out))


BAD_CALLS = [
    (
        "x of rank 3",
        dict(x=np.ones((1, 4, 4))),
        ValueError,
        r"x must have rank 4 \(N, C, H, W\), got rank 3",
    ),
    ("kernel 0", dict(kernel_size=0), ValueError, r"kernel_size must be >= 1, got 0"),
    ("stride 0", dict(stride=(1, 0)), ValueError, r"stride must be >= 1, got 0"),
    ("float kernel", dict(kernel_size=2.0), TypeError, r"kernel_size must be an integer, got 2.0"),
    (
        "window larger than x",
        dict(kernel_size=(2, 5)),
        ValueError,
        r"kernel=5 is larger than the padded input",
    ),
]


@pytest.mark.parametrize("kind", POOLS)
@pytest.mark.parametrize(
    "change, error, message", [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
def test_bad_arguments_are_rejected(kind, change, error, message):
    forward = POOLS[kind][0]
    with pytest.raises(error, match=message):
        forward(**(dict(x=np.ones((1, 1, 4, 4)), kernel_size=2, stride=None) | change))


def test_backward_rejects_bad_dout_and_foreign_cache():
    _, max_cache = maxpool2d_forward(np.ones((1, 1, 4, 4)), 2)
    _, avg_cache = avgpool2d_forward(np.ones((1, 1, 4, 4)), 2)
    with pytest.raises(
        ValueError,
        match=r"dout must have shape \(1, 1, 2, 2\) like the forward output, got \(1, 1, 4, 4\)",
    ):
        maxpool2d_backward(np.ones((1, 1, 4, 4)), max_cache)
    with pytest.raises(
        ValueError,
        match=r"dout must have shape \(1, 1, 2, 2\) like the forward output, got \(2, 2\)",
    ):
        avgpool2d_backward(np.ones((2, 2)), avg_cache)
    with pytest.raises(ValueError, match="needs the cache of maxpool2d_forward"):
        maxpool2d_backward(np.ones((1, 1, 2, 2)), avg_cache)
    with pytest.raises(ValueError, match="needs the cache of avgpool2d_forward"):
        avgpool2d_backward(np.ones((1, 1, 2, 2)), max_cache)


@pytest.mark.parametrize("kind", POOLS)
@pytest.mark.parametrize("shape", [(0, 1, 4, 4), (1, 0, 4, 4)])
def test_empty_inputs_are_rejected_clearly(kind, shape):
    with pytest.raises(
        ValueError, match=rf"x must not be empty, got shape \({shape[0]}, {shape[1]}, 4, 4\)"
    ):
        POOLS[kind][0](np.ones(shape), 2)
