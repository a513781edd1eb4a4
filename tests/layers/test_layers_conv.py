"""conv2d_forward / conv2d_backward / conv2d_naive / conv2d_nhwc_loop against PyTorch."""

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.gradcheck import numerical_gradient, rel_error
from dlnotes.layers import (
    conv2d_backward,
    conv2d_forward,
    conv2d_naive,
    conv2d_nhwc_loop,
    hwio_to_oihw,
    nchw_to_nhwc,
    nhwc_to_nchw,
)

torch = pytest.importorskip("torch")
F = torch.nn.functional


def tensor(a):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=True)


def random_case(rng, n, c, f, h, w, kernel, stride, padding):
    x = rng.standard_normal((n, c, h, w))
    weight = rng.standard_normal((f, c) + kernel)
    b = rng.standard_normal(f)
    return x, weight, b, stride, padding


@st.composite
def conv_cases(draw):
    """Valid random configurations: the kernel always fits into the padded input."""
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    h, w = (draw(st.integers(max(1, k - 2 * p), k - 2 * p + 6)) for k, p in zip(kernel, padding))
    n, c, f = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    # Sometimes pass a plain int, as most callers do
    stride = stride[0] if stride[0] == stride[1] and draw(st.booleans()) else stride
    padding = padding[0] if padding[0] == padding[1] and draw(st.booleans()) else padding
    return random_case(rng, n, c, f, h, w, kernel, stride, padding)


def torch_conv(x, weight, b, stride, padding, dout):
    tx, tw, tb = tensor(x), tensor(weight), tensor(b)
    out = F.conv2d(tx, tw, tb, stride=stride, padding=padding)
    out.backward(torch.tensor(dout))
    return out.detach().numpy(), tx.grad.numpy(), tw.grad.numpy(), tb.grad.numpy()


def assert_matches_torch(case, seed=0):
    x, weight, b, stride, padding = case
    out, cache = conv2d_forward(x, weight, b, stride, padding)
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    grads = conv2d_backward(dout, cache)
    expected = torch_conv(x, weight, b, stride, padding, dout)
    assert out.shape == expected[0].shape
    for mine, theirs in zip((out, *grads), expected):
        assert mine.shape == theirs.shape
        assert rel_error(mine, theirs) <= 1e-8


@given(conv_cases())
def test_forward_and_backward_match_torch(case):
    assert_matches_torch(case)


@given(conv_cases())
def test_fast_forward_equals_naive_loop(case):
    out, _ = conv2d_forward(*case)
    assert rel_error(out, conv2d_naive(*case)) <= 1e-12


EDGE_CASES = {
    "1x1 kernel": dict(n=2, c=3, f=4, h=5, w=6, kernel=(1, 1), stride=1, padding=0),
    "kernel as large as the padded input": dict(
        n=2, c=2, f=3, h=3, w=4, kernel=(5, 6), stride=1, padding=1
    ),
    "stride larger than the kernel": dict(
        n=2, c=2, f=2, h=9, w=8, kernel=(2, 2), stride=3, padding=0
    ),
    "padding 2 with stride 2": dict(n=2, c=3, f=2, h=7, w=7, kernel=(3, 3), stride=2, padding=2),
    "non-square input and kernel": dict(
        n=2, c=2, f=3, h=5, w=9, kernel=(2, 4), stride=(1, 2), padding=(1, 0)
    ),
    "batch 1, one channel": dict(n=1, c=1, f=1, h=4, w=4, kernel=(3, 3), stride=1, padding=1),
    "lecture shape": dict(n=2, c=3, f=4, h=28, w=28, kernel=(5, 5), stride=2, padding=2),
}


@pytest.mark.parametrize("config", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_edge_cases_match_torch(config):
    assert_matches_torch(random_case(np.random.default_rng(1), **config))


@pytest.mark.parametrize("config", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_edge_cases_naive_matches_torch(config):
    x, weight, b, stride, padding = random_case(np.random.default_rng(2), **config)
    expected = F.conv2d(tensor(x), tensor(weight), tensor(b), stride=stride, padding=padding)
    assert (
        rel_error(conv2d_naive(x, weight, b, stride, padding), expected.detach().numpy()) <= 1e-12
    )


def test_kernel_as_large_as_padded_input_gives_one_output_pixel():
    out, _ = conv2d_forward(np.ones((1, 1, 3, 4)), np.ones((1, 1, 5, 6)), np.zeros(1), padding=1)
    assert out.shape == (1, 1, 1, 1)
    assert out[0, 0, 0, 0] == 12.0  # the 12 ones of x, the padding adds zeros


@pytest.mark.parametrize("stride, padding", [(1, 0), ((2, 1), (1, 0)), (3, 2)])
def test_backward_matches_numerical_gradient(stride, padding):
    rng = np.random.default_rng(3)
    x, weight, b = (
        rng.standard_normal((2, 2, 5, 4)),
        rng.standard_normal((3, 2, 3, 2)),
        rng.standard_normal(3),
    )
    out, cache = conv2d_forward(x, weight, b, stride, padding)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = conv2d_backward(dout, cache)
    assert (
        rel_error(
            dx,
            numerical_gradient(lambda z: conv2d_forward(z, weight, b, stride, padding)[0], x, dout),
        )
        < 1e-7
    )
    assert (
        rel_error(
            dw,
            numerical_gradient(lambda z: conv2d_forward(x, z, b, stride, padding)[0], weight, dout),
        )
        < 1e-7
    )
    assert (
        rel_error(
            db,
            numerical_gradient(lambda z: conv2d_forward(x, weight, z, stride, padding)[0], b, dout),
        )
        < 1e-7
    )


def test_float32_stays_float32_and_is_accurate():
    x, weight, b, stride, padding = random_case(
        np.random.default_rng(4), 2, 3, 4, 9, 9, (3, 3), 2, 1
    )
    # b stays float64, as np.zeros(F) would be: x and w decide the dtype
    out32, cache = conv2d_forward(
        x.astype(np.float32), weight.astype(np.float32), b, stride, padding
    )
    grads32 = conv2d_backward(np.ones(out32.shape, np.float32), cache)
    out64, cache64 = conv2d_forward(x, weight, b, stride, padding)
    grads64 = conv2d_backward(np.ones(out64.shape), cache64)
    for a32, a64 in zip((out32, *grads32), (out64, *grads64)):
        assert a32.dtype == np.float32
        assert rel_error(a32, a64) < 1e-5


def test_inputs_are_not_modified():
    x, weight, b, stride, padding = random_case(
        np.random.default_rng(5), 2, 2, 2, 6, 6, (3, 3), 1, 1
    )
    copies = [a.copy() for a in (x, weight, b)]
    out, cache = conv2d_forward(x, weight, b, stride, padding)
    dout = np.ones_like(out)
    conv2d_backward(dout, cache)
    for original, copy in zip((x, weight, b), copies):
        np.testing.assert_array_equal(original, copy)
    np.testing.assert_array_equal(dout, np.ones_like(out))


def test_fixed_lecture_loop_matches_torch():
    """The lecture notes' NHWC conv_forward, fixed, agrees with torch after a layout change."""
    rng = np.random.default_rng(6)
    x_nhwc, w_hwio, b = (
        rng.standard_normal((3, 9, 8, 3)),
        rng.standard_normal((5, 3, 3, 4)),
        rng.standard_normal(4),
    )
    out = conv2d_nhwc_loop(x_nhwc, w_hwio, b, stride=2, padding=2)
    expected = F.conv2d(
        tensor(nhwc_to_nchw(x_nhwc)), tensor(hwio_to_oihw(w_hwio)), tensor(b), stride=2, padding=2
    )
    assert out.shape == (3, 5, 5, 4)  # (9 + 4 - 5) // 2 + 1 and (8 + 4 - 3) // 2 + 1
    assert rel_error(out, nchw_to_nhwc(expected.detach().numpy())) <= 1e-12


BAD_CALLS = [
    (
        "x of rank 3",
        dict(x=np.ones((1, 5, 5))),
        ValueError,
        r"x must have rank 4 \(N, C, H, W\), got rank 3",
    ),
    (
        "w of rank 3",
        dict(w=np.ones((2, 5, 5))),
        ValueError,
        r"w must have rank 4 \(F, C, HH, WW\), got rank 3",
    ),
    (
        "channel mismatch",
        dict(w=np.ones((2, 3, 3, 3))),
        ValueError,
        r"C = 1 channels like x, got \(2, 3, 3, 3\)$",
    ),
    (
        "b of the wrong shape",
        dict(b=np.zeros(3)),
        ValueError,
        r"b must have shape \(2,\) \(F,\), got \(3,\)",
    ),
    ("stride 0", dict(stride=0), ValueError, r"stride must be >= 1, got 0"),
    ("negative padding", dict(padding=(0, -1)), ValueError, r"padding must be >= 0, got -1"),
    ("float stride", dict(stride=1.5), TypeError, r"stride must be an integer, got 1.5"),
    (
        "stride of length 3",
        dict(stride=(1, 1, 1)),
        ValueError,
        r"stride must be an int or an \(h, w\) pair",
    ),
    (
        "kernel too large",
        dict(w=np.ones((2, 1, 7, 3))),
        ValueError,
        r"kernel=7 is larger than the padded input .* = 5",
    ),
    ("complex x", dict(x=np.ones((1, 1, 5, 5), complex)), TypeError, r"x must hold real numbers"),
]


@pytest.mark.parametrize("function", [conv2d_forward, conv2d_naive])
@pytest.mark.parametrize(
    "change, error, message", [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
def test_bad_arguments_are_rejected(function, change, error, message):
    args = (
        dict(x=np.ones((1, 1, 5, 5)), w=np.ones((2, 1, 3, 3)), b=np.zeros(2), stride=1, padding=0)
        | change
    )
    with pytest.raises(error, match=message):
        function(**args)


def test_nhwc_loop_rejects_channel_mismatch():
    with pytest.raises(ValueError, match=r"\(HH, WW, C, F\) with C = 3"):
        conv2d_nhwc_loop(np.ones((1, 5, 5, 3)), np.ones((3, 3, 2, 4)), np.zeros(4))


def test_backward_rejects_bad_dout_and_cache():
    out, cache = conv2d_forward(np.ones((1, 1, 5, 5)), np.ones((2, 1, 3, 3)), np.zeros(2))
    with pytest.raises(
        ValueError,
        match=r"dout must have shape \(1, 2, 3, 3\) like the forward output, got \(1, 2, 3, 4\)",
    ):
        conv2d_backward(np.ones((1, 2, 3, 4)), cache)
    with pytest.raises(TypeError, match=r"Conv2dCache returned by conv2d_forward, got tuple"):
        conv2d_backward(np.ones(out.shape), tuple(cache))


def test_updating_w_in_place_after_the_forward_does_not_change_the_gradients():
    rng = np.random.default_rng(8)
    x, weight, b, stride, padding = random_case(rng, 2, 3, 4, 8, 8, (3, 3), 2, 1)
    dout = rng.standard_normal((2, 4, 4, 4))
    expected = torch_conv(x, weight, b, stride, padding, dout)
    _, cache = conv2d_forward(x, weight, b, stride, padding)
    weight += 1
    for mine, theirs in zip(conv2d_backward(dout, cache), expected[1:]):
        assert rel_error(mine, theirs) <= 1e-12


def test_updating_x_in_place_does_not_change_dw_when_im2col_is_a_view():
    # A 1x1 kernel with stride 1, no padding and one channel: the im2col matrix is x itself
    rng = np.random.default_rng(9)
    x, weight, b = rng.standard_normal((2, 1, 4, 5)), rng.standard_normal((3, 1, 1, 1)), np.zeros(3)
    dout = rng.standard_normal((2, 3, 4, 5))
    expected = torch_conv(x, weight, b, 1, 0, dout)
    _, cache = conv2d_forward(x, weight, b)
    x[:] = 0.0
    for mine, theirs in zip(conv2d_backward(dout, cache), expected[1:]):
        assert rel_error(mine, theirs) <= 1e-12


LAYOUT_MIX_UPS = [
    ("HWIO kernel, C differs from HH", np.ones((1, 3, 8, 8)), np.ones((5, 5, 3, 4)), np.zeros(4)),
    ("HWIO kernel with HH = C", np.ones((1, 3, 8, 8)), np.ones((3, 3, 3, 8)), np.zeros(8)),
]


@pytest.mark.parametrize("function", [conv2d_forward, conv2d_naive])
@pytest.mark.parametrize(
    "x, w, b", [c[1:] for c in LAYOUT_MIX_UPS], ids=[c[0] for c in LAYOUT_MIX_UPS]
)
def test_an_hwio_kernel_is_recognised_and_not_blamed_on_b(function, x, w, b):
    message = (
        r"w must have shape \(F, C, HH, WW\) with C = 3 channels like x, got \(.*\); "
        r"this looks like an \(HH, WW, C, F\) kernel: convert it with hwio_to_oihw"
    )
    with pytest.raises(ValueError, match=message):
        function(x, w, b)
    out = function(x, hwio_to_oihw(w), b)  # the suggested fix works
    assert (out[0] if isinstance(out, tuple) else out).shape[1] == b.size


def test_no_layout_hint_when_the_kernel_does_not_fit_hwio_either():
    with pytest.raises(ValueError, match=r"got \(2, 3, 3, 3\)$"):
        conv2d_forward(np.ones((1, 1, 5, 5)), np.ones((2, 3, 3, 3)), np.zeros(2))
    with pytest.raises(ValueError, match=r"^b must have shape \(2,\) \(F,\), got \(5,\)$"):
        conv2d_forward(np.ones((1, 3, 5, 5)), np.ones((2, 3, 3, 3)), np.zeros(5))


def test_nhwc_loop_recognises_an_oihw_kernel():
    with pytest.raises(
        ValueError,
        match=r"this looks like an \(F, C, HH, WW\) kernel: convert it with oihw_to_hwio",
    ):
        conv2d_nhwc_loop(np.ones((1, 8, 8, 3)), np.ones((4, 3, 5, 5)), np.zeros(4))


EMPTY = [
    ("no filters", np.ones((1, 1, 5, 5)), np.ones((0, 1, 3, 3)), np.zeros(0), "w", (0, 1, 3, 3)),
    ("no images", np.ones((0, 1, 5, 5)), np.ones((2, 1, 3, 3)), np.zeros(2), "x", (0, 1, 5, 5)),
    ("no channels", np.ones((1, 0, 5, 5)), np.ones((2, 0, 3, 3)), np.zeros(2), "x", (1, 0, 5, 5)),
]


@pytest.mark.parametrize("function", [conv2d_forward, conv2d_naive])
@pytest.mark.parametrize("x, w, b, name, shape", [c[1:] for c in EMPTY], ids=[c[0] for c in EMPTY])
def test_empty_inputs_and_zero_filters_are_rejected_clearly(function, x, w, b, name, shape):
    with pytest.raises(
        ValueError, match="^" + re.escape(f"{name} must not be empty, got shape {shape}")
    ):
        function(x, w, b)


def test_nhwc_loop_rejects_empty_inputs():
    with pytest.raises(ValueError, match=r"x must not be empty, got shape \(0, 5, 5, 1\)"):
        conv2d_nhwc_loop(np.ones((0, 5, 5, 1)), np.ones((3, 3, 1, 2)), np.zeros(2))
    with pytest.raises(ValueError, match=r"w must not be empty, got shape \(3, 3, 1, 0\)"):
        conv2d_nhwc_loop(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 0)), np.zeros(0))
