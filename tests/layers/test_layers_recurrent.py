"""RNN and LSTM cells against torch.nn.RNNCell / LSTMCell and, unrolled, torch.nn.RNN / LSTM.

Tolerance: every quantity is a short chain (at most a few dozen steps) of products, sums with
D, H ≤ 8 terms, tanh and sigmoid, each with relative error ≈ 1e-16 in float64, computed on
identical inputs by two implementations that may order the sums differently. The accumulated
round-off is a few hundred ulps of the largest value at most; 1e-10 relative to the largest
entry (with a floor of 1 for arrays near zero) leaves a factor of ~1e3 of margin and still
catches any wrong term, which changes results at the 1e-2 level.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.layers.recurrent import (
    LSTMCellCache,
    RNNCellCache,
    lstm_cell_backward,
    lstm_cell_forward,
    rnn_cell_backward,
    rnn_cell_forward,
)

torch = pytest.importorskip("torch")

RTOL = 1e-10


def assert_close(mine, theirs):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    assert mine.shape == theirs.shape
    scale = max(float(np.max(np.abs(theirs), initial=0.0)), 1.0)  # absolute floor
    assert float(np.max(np.abs(mine - theirs), initial=0.0)) <= RTOL * scale


def leaf(a):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=True)


@st.composite
def cell_cases(draw, gates):
    n, d, hidden = draw(st.integers(1, 6)), draw(st.integers(1, 8)), draw(st.integers(1, 8))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([0.3, 1.0, 2.0]))  # 2.0 reaches saturated tanh / sigmoid
    x, h, c = (rng.standard_normal(s) for s in [(n, d), (n, hidden), (n, hidden)])
    weights = [
        scale * rng.standard_normal(s)
        for s in [
            (gates * hidden, d),
            (gates * hidden, hidden),
            (gates * hidden,),
            (gates * hidden,),
        ]
    ]
    return x, h, c, weights, rng


def torch_cell(cell, weights):
    for name, value in zip(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], weights):
        getattr(cell, name).data = torch.tensor(value)
    return cell


@given(cell_cases(gates=1), st.sampled_from(["tanh", "relu"]))
def test_rnn_cell_matches_torch(case, nonlinearity):
    x, h, _, weights, rng = case
    h_next, cache = rnn_cell_forward(x, h, *weights, nonlinearity=nonlinearity)
    dh_next = rng.standard_normal(h_next.shape)
    grads = rnn_cell_backward(dh_next, cache)

    cell = torch_cell(torch.nn.RNNCell(x.shape[1], h.shape[1], nonlinearity=nonlinearity), weights)
    tx, th = leaf(x), leaf(h)
    expected = cell.double()(tx, th)
    expected.backward(torch.tensor(dh_next))
    assert_close(h_next, expected)
    torch_grads = [tx.grad, th.grad, cell.weight_ih.grad, cell.weight_hh.grad]
    for mine, theirs in zip(grads, torch_grads + [cell.bias_ih.grad, cell.bias_hh.grad]):
        assert_close(mine, theirs)


@given(cell_cases(gates=4))
def test_lstm_cell_matches_torch(case):
    x, h, c, weights, rng = case
    h_next, c_next, cache = lstm_cell_forward(x, h, c, *weights)
    dh_next, dc_next = rng.standard_normal(h_next.shape), rng.standard_normal(c_next.shape)
    grads = lstm_cell_backward(dh_next, dc_next, cache)

    cell = torch_cell(torch.nn.LSTMCell(x.shape[1], h.shape[1]), weights).double()
    tx, th, tc = leaf(x), leaf(h), leaf(c)
    expected_h, expected_c = cell(tx, (th, tc))
    torch.autograd.backward(
        [expected_h, expected_c], [torch.tensor(dh_next), torch.tensor(dc_next)]
    )
    assert_close(h_next, expected_h)
    assert_close(c_next, expected_c)
    torch_grads = [tx.grad, th.grad, tc.grad, cell.weight_ih.grad, cell.weight_hh.grad]
    for mine, theirs in zip(grads, torch_grads + [cell.bias_ih.grad, cell.bias_hh.grad]):
        assert_close(mine, theirs)


def unroll_rnn(xs, h0, weights, dys, dh_last):
    """Forward through T steps, then backpropagation through time; returns the gradients."""
    h, caches, outputs = h0, [], []
    for t in range(xs.shape[1]):
        h, cache = rnn_cell_forward(xs[:, t], h, *weights)
        caches.append(cache)
        outputs.append(h)
    dxs, dweights, dh = np.zeros_like(xs), [np.zeros_like(w) for w in weights], dh_last
    for t in reversed(range(xs.shape[1])):
        dx, dh, *dw = rnn_cell_backward(dys[:, t] + dh, caches[t])
        dxs[:, t] = dx
        dweights = [total + g for total, g in zip(dweights, dw)]
    return np.stack(outputs, axis=1), dxs, dh, dweights


def unroll_lstm(xs, h0, c0, weights, dys, dh_last, dc_last):
    h, c, caches, outputs = h0, c0, [], []
    for t in range(xs.shape[1]):
        h, c, cache = lstm_cell_forward(xs[:, t], h, c, *weights)
        caches.append(cache)
        outputs.append(h)
    dxs, dweights, dh, dc = np.zeros_like(xs), [np.zeros_like(w) for w in weights], dh_last, dc_last
    for t in reversed(range(xs.shape[1])):
        dx, dh, dc, *dw = lstm_cell_backward(dys[:, t] + dh, dc, caches[t])
        dxs[:, t] = dx
        dweights = [total + g for total, g in zip(dweights, dw)]
    return np.stack(outputs, axis=1), dxs, dh, dc, dweights


def torch_layer_weights(layer):
    return [layer.weight_ih_l0, layer.weight_hh_l0, layer.bias_ih_l0, layer.bias_hh_l0]


@given(cell_cases(gates=1), st.integers(1, 7))
def test_unrolled_rnn_matches_torch_rnn(case, steps):
    x, h0, _, weights, rng = case
    xs = rng.standard_normal((x.shape[0], steps, x.shape[1]))  # batch first: (N, T, D)
    dys, dh_last = (
        rng.standard_normal((x.shape[0], steps, h0.shape[1])),
        rng.standard_normal(h0.shape),
    )
    ys, dxs, dh0, dweights = unroll_rnn(xs, h0, weights, dys, dh_last)

    layer = torch.nn.RNN(x.shape[1], h0.shape[1], batch_first=True).double()
    for p, value in zip(torch_layer_weights(layer), weights):
        p.data = torch.tensor(value)
    txs, th0 = leaf(xs), leaf(h0)
    out, h_n = layer(txs, th0[None])
    torch.autograd.backward([out, h_n[0]], [torch.tensor(dys), torch.tensor(dh_last)])
    assert_close(ys, out)
    assert_close(dxs, txs.grad)
    assert_close(dh0, th0.grad)
    for mine, p in zip(dweights, torch_layer_weights(layer)):
        assert_close(mine, p.grad)


@given(cell_cases(gates=4), st.integers(1, 7))
def test_unrolled_lstm_matches_torch_lstm(case, steps):
    x, h0, c0, weights, rng = case
    n, hidden = h0.shape
    xs = rng.standard_normal((n, steps, x.shape[1]))
    dys = rng.standard_normal((n, steps, hidden))
    dh_last, dc_last = rng.standard_normal((n, hidden)), rng.standard_normal((n, hidden))
    ys, dxs, dh0, dc0, dweights = unroll_lstm(xs, h0, c0, weights, dys, dh_last, dc_last)

    layer = torch.nn.LSTM(x.shape[1], hidden, batch_first=True).double()
    for p, value in zip(torch_layer_weights(layer), weights):
        p.data = torch.tensor(value)
    txs, th0, tc0 = leaf(xs), leaf(h0), leaf(c0)
    out, (h_n, c_n) = layer(txs, (th0[None], tc0[None]))
    grads_out = [torch.tensor(a) for a in (dys, dh_last, dc_last)]
    torch.autograd.backward([out, h_n[0], c_n[0]], grads_out)
    assert_close(ys, out)
    for mine, theirs in [(dxs, txs.grad), (dh0, th0.grad), (dc0, tc0.grad)]:
        assert_close(mine, theirs)
    for mine, p in zip(dweights, torch_layer_weights(layer)):
        assert_close(mine, p.grad)


def small_args(gates, dtype=np.float64, n=2, d=3, hidden=4):
    rng = np.random.default_rng(3)
    x, h, c = (rng.standard_normal(s).astype(dtype) for s in [(n, d), (n, hidden), (n, hidden)])
    rows = gates * hidden
    weights = [
        rng.standard_normal(s).astype(dtype) for s in [(rows, d), (rows, hidden), (rows,), (rows,)]
    ]
    return x, h, c, weights


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_rnn_float32_stays_float32_and_arguments_are_not_modified(nonlinearity):
    x, h, _, weights = small_args(1, np.float32)
    copies = [a.copy() for a in (x, h, *weights)]
    h_next, cache = rnn_cell_forward(x, h, *weights, nonlinearity=nonlinearity)
    dh_next = np.ones_like(h_next)
    grads = rnn_cell_backward(dh_next, cache)
    assert all(a.dtype == np.float32 for a in (h_next, *grads))
    for original, copy in zip((x, h, *weights), copies):
        np.testing.assert_array_equal(original, copy)
    np.testing.assert_array_equal(dh_next, 1)


def test_lstm_float32_stays_float32_and_arguments_are_not_modified():
    x, h, c, weights = small_args(4, np.float32)
    copies = [a.copy() for a in (x, h, c, *weights)]
    h_next, c_next, cache = lstm_cell_forward(x, h, c, *weights)
    dh_next, dc_next = np.ones_like(h_next), np.ones_like(c_next)
    grads = lstm_cell_backward(dh_next, dc_next, cache)
    assert all(a.dtype == np.float32 for a in (h_next, c_next, *grads))
    for original, copy in zip((x, h, c, *weights), copies):
        np.testing.assert_array_equal(original, copy)
    np.testing.assert_array_equal(dh_next, 1)
    np.testing.assert_array_equal(dc_next, 1)


def test_updating_arguments_or_outputs_in_place_does_not_change_the_gradients():
    x, h, c, weights = small_args(4)
    h_next, c_next, cache = lstm_cell_forward(x, h, c, *weights)
    dh_next, dc_next = np.ones_like(h_next), np.ones_like(c_next)
    expected = lstm_cell_backward(dh_next, dc_next, cache)
    *_, cache = lstm_cell_forward(x, h, c, *weights)
    for a in (x, h, c, *weights):
        a += 1.0  # an optimiser step, or a caller reusing its buffers
    for mine, theirs in zip(lstm_cell_backward(dh_next, dc_next, cache), expected):
        np.testing.assert_array_equal(mine, theirs)

    x, h, _, weights = small_args(1)
    h_next, cache = rnn_cell_forward(x, h, *weights)
    expected = rnn_cell_backward(np.ones_like(h_next), cache)
    h_next *= -1.0  # the cache keeps its own copy of the output
    for mine, theirs in zip(rnn_cell_backward(np.ones_like(h_next), cache), expected):
        np.testing.assert_array_equal(mine, theirs)


def test_relu_rnn_passes_no_gradient_where_the_output_is_zero():
    x, h = np.ones((1, 1)), np.zeros((1, 2))
    weights = [np.array([[1.0], [-1.0]]), np.zeros((2, 2)), np.zeros(2), np.zeros(2)]
    h_next, cache = rnn_cell_forward(x, h, *weights, nonlinearity="relu")
    np.testing.assert_array_equal(h_next, [[1.0, 0.0]])
    dx, *_ = rnn_cell_backward(np.ones((1, 2)), cache)
    np.testing.assert_array_equal(dx, [[1.0]])  # only the unit with output 1 passes: 1 · w = 1


def rnn_call(**change):
    x, h, _, (w_ih, w_hh, b_ih, b_hh) = small_args(1)
    args = dict(x=x, h=h, w_ih=w_ih, w_hh=w_hh, b_ih=b_ih, b_hh=b_hh) | change
    return rnn_cell_forward(**args)


def lstm_call(**change):
    x, h, c, (w_ih, w_hh, b_ih, b_hh) = small_args(4)
    args = dict(x=x, h=h, c=c, w_ih=w_ih, w_hh=w_hh, b_ih=b_ih, b_hh=b_hh) | change
    return lstm_cell_forward(**args)


GATES = r"4H rows, gate order i, f, g, o"
BAD_CALLS = [  # N = 2, D = 3, H = 4
    (
        "lstm w_ih with 3H rows",
        lstm_call,
        dict(w_ih=np.ones((12, 3))),
        rf"w_ih must have shape \(16, 3\) \({GATES}; H = h.shape\[1\], "
        r"D = x.shape\[1\]\), got \(12, 3\)",
    ),
    (
        "lstm w_ih with H rows",
        lstm_call,
        dict(w_ih=np.ones((4, 3))),
        rf"w_ih must have shape \(16, 3\) \({GATES}.*got \(4, 3\)",
    ),
    (
        "lstm w_hh with H rows",
        lstm_call,
        dict(w_hh=np.ones((4, 4))),
        rf"w_hh must have shape \(16, 4\) \({GATES}; H = h.shape\[1\]\), got \(4, 4\)",
    ),
    (
        "lstm b_ih of size H",
        lstm_call,
        dict(b_ih=np.ones(4)),
        rf"b_ih must have shape \(16,\) \({GATES}.*got \(4,\)",
    ),
    (
        "lstm b_hh as a column",
        lstm_call,
        dict(b_hh=np.ones((16, 1))),
        r"b_hh must have shape \(16,\) .*got \(16, 1\)",
    ),
    (
        "lstm c of the wrong shape",
        lstm_call,
        dict(c=np.ones((2, 3))),
        r"c must have shape \(2, 4\) \(N, H\) like h, got \(2, 3\)",
    ),
    (
        "lstm h/x batch mismatch",
        lstm_call,
        dict(h=np.ones((3, 4))),
        r"h must have shape \(2, 4\) \(N, H\) with N = x.shape\[0\], got \(3, 4\)",
    ),
    (
        "rnn h/x batch mismatch",
        rnn_call,
        dict(h=np.ones((5, 4))),
        r"h must have shape \(2, 4\) \(N, H\) with N = x.shape\[0\], got \(5, 4\)",
    ),
    (
        "rnn x of rank 3",
        rnn_call,
        dict(x=np.ones((2, 1, 3))),
        r"x must have rank 2 \(N, D\), got rank 3 with shape \(2, 1, 3\)",
    ),
    ("rnn h of rank 1", rnn_call, dict(h=np.ones(4)), r"h must have rank 2 \(N, H\), got rank 1"),
    (
        "rnn w_ih transposed",
        rnn_call,
        dict(w_ih=np.ones((3, 4))),
        r"w_ih must have shape \(4, 3\) \(H, D\) with H = h.shape\[1\], "
        r"D = x.shape\[1\], got \(3, 4\)",
    ),
    (
        "rnn w_hh of the wrong size",
        rnn_call,
        dict(w_hh=np.ones((4, 3))),
        r"w_hh must have shape \(4, 4\) \(H, H\), got \(4, 3\)",
    ),
    (
        "rnn b_ih of the wrong size",
        rnn_call,
        dict(b_ih=np.ones(3)),
        r"b_ih must have shape \(4,\) \(H,\), got \(3,\)",
    ),
    (
        "rnn b_hh as a row",
        rnn_call,
        dict(b_hh=np.ones((1, 4))),
        r"b_hh must have shape \(4,\) \(H,\), got \(1, 4\)",
    ),
    (
        "rnn unknown nonlinearity",
        rnn_call,
        dict(nonlinearity="sigmoid"),
        r"nonlinearity must be one of 'tanh', 'relu'; got 'sigmoid'",
    ),
    ("rnn string x", rnn_call, dict(x=np.array([["a"]])), r"x must hold real numbers"),
]


@pytest.mark.parametrize(
    "call, change, message", [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
def test_bad_arguments_are_rejected(call, change, message):
    error = TypeError if "real numbers" in message else ValueError
    with pytest.raises(error, match=message):
        call(**change)


def test_backward_rejects_a_wrong_cache_and_wrong_gradients():
    h_next, rnn_cache = rnn_call()
    _, _, lstm_cache = lstm_call()
    with pytest.raises(
        TypeError,
        match=r"cache must be the RNNCellCache returned by rnn_cell_forward, got LSTMCellCache",
    ):
        rnn_cell_backward(h_next, lstm_cache)
    with pytest.raises(
        TypeError,
        match=r"cache must be the LSTMCellCache returned by lstm_cell_forward, got RNNCellCache",
    ):
        lstm_cell_backward(h_next, h_next, rnn_cache)
    with pytest.raises(TypeError, match=r"cache must be the RNNCellCache .*, got tuple"):
        rnn_cell_backward(h_next, tuple(rnn_cache))
    with pytest.raises(
        ValueError,
        match=r"dh_next must have shape \(2, 4\) \(N, H\) like the forward's new state, "
        r"got \(2, 3\)",
    ):
        rnn_cell_backward(np.ones((2, 3)), rnn_cache)
    with pytest.raises(ValueError, match=r"dc_next must have shape \(2, 4\) .*got \(4, 2\)"):
        lstm_cell_backward(h_next, np.ones((4, 2)), lstm_cache)
    assert isinstance(rnn_cache, RNNCellCache) and isinstance(lstm_cache, LSTMCellCache)
