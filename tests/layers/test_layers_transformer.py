"""Positional encoding, layer norm and the encoder layer against formulas and PyTorch."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.gradcheck import rel_error
from dlnotes.layers.transformer import (
    EncoderLayerParams,
    layer_norm,
    sinusoidal_positional_encoding,
    transformer_encoder_layer_forward,
)

torch = pytest.importorskip("torch")
TOL = 1e-10  # float64 on both sides, the same sums in a different order


def t(a):
    return torch.tensor(np.asarray(a))


# --- positional encoding ---------------------------------------------------------------


@pytest.mark.parametrize("length, dim", [(1, 1), (5, 4), (7, 9), (50, 16)])
def test_positional_encoding_equals_the_formula_element_by_element(length, dim):
    pe = sinusoidal_positional_encoding(length, dim)
    assert pe.shape == (length, dim)
    for p in range(length):
        for j in range(dim):
            angle = p / 10000 ** ((j - j % 2) / dim)  # columns 2i and 2i + 1 share 2i
            expected = math.sin(angle) if j % 2 == 0 else math.cos(angle)
            assert abs(pe[p, j] - expected) <= 1e-12


def test_positional_encoding_known_values_and_unit_circles():
    pe = sinusoidal_positional_encoding(20, 8)
    np.testing.assert_array_equal(pe[0], [0, 1, 0, 1, 0, 1, 0, 1])
    assert pe[1, 0] == pytest.approx(math.sin(1)) and pe[1, 1] == pytest.approx(math.cos(1))
    assert pe[3, 2] == pytest.approx(math.sin(3 / 10))  # 10000 ** (2 / 8) = 10
    np.testing.assert_allclose(pe[:, 0::2] ** 2 + pe[:, 1::2] ** 2, 1.0, rtol=1e-14)
    assert pe.min() >= -1 and pe.max() <= 1


def test_positional_encoding_base():
    pe = sinusoidal_positional_encoding(4, 2 * 3, base=64.0)
    assert pe[2, 4] == pytest.approx(math.sin(2 / 64 ** (4 / 6)))


@pytest.mark.parametrize(
    "args, error, message",
    [
        ((0, 4), ValueError, r"length must be >= 1, got 0"),
        ((4, 0), ValueError, r"dim must be >= 1, got 0"),
        ((4.0, 4), TypeError, r"length must be an integer"),
        ((4, 4, -1.0), ValueError, r"base must be > 0, got -1.0"),
    ],
)
def test_positional_encoding_rejects_bad_arguments(args, error, message):
    with pytest.raises(error, match=message):
        sinusoidal_positional_encoding(*args)


# --- layer norm --------------------------------------------------------------------------


@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    seed=st.integers(0, 2**32 - 1),
    scale=st.sampled_from([1e-3, 1.0, 1e3]),
)
def test_layer_norm_matches_torch(shape, seed, scale):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape) * scale + 3 * scale
    w, b = rng.standard_normal(shape[-1]), rng.standard_normal(shape[-1])
    expected = torch.nn.functional.layer_norm(t(x), shape[-1:], t(w), t(b), eps=1e-5)
    assert rel_error(layer_norm(x, w, b), expected.numpy()) <= TOL


def test_layer_norm_float32_and_bad_shapes():
    x = np.ones((2, 3), np.float32)
    assert layer_norm(x, np.ones(3), np.zeros(3)).dtype == np.float32
    with pytest.raises(ValueError, match=r"weight must have shape \(3,\) \(D,\) with D = x.shape"):
        layer_norm(x, np.ones(2), np.zeros(3))
    with pytest.raises(ValueError, match=r"bias must have shape \(3,\)"):
        layer_norm(x, np.ones(3), np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"x must have rank >= 1 \(..., D\), got a scalar"):
        layer_norm(1.0, np.ones(1), np.zeros(1))
    with pytest.raises(ValueError, match=r"eps must be > 0"):
        layer_norm(x, np.ones(3), np.zeros(3), eps=0.0)


# --- the encoder layer -------------------------------------------------------------------


def torch_layer(e, heads, ff, norm_first, rng):
    """A float64 encoder layer in eval mode, every parameter (norms included) random."""
    torch.manual_seed(int(rng.integers(2**31)))
    layer = torch.nn.TransformerEncoderLayer(
        e, heads, dim_feedforward=ff, batch_first=True, norm_first=norm_first
    )
    layer = layer.double().eval()
    with torch.no_grad():
        for name, p in layer.named_parameters():
            if "norm" in name or "bias" in name:
                p.copy_(t(rng.standard_normal(p.shape)))
    state = {k: v.detach().numpy() for k, v in layer.state_dict().items()}
    return layer, EncoderLayerParams.from_state_dict(state)


@st.composite
def encoder_cases(draw):
    n, length = draw(st.integers(1, 3)), draw(st.integers(1, 6))
    heads, head_dim, ff = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 9))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    mask_kind = draw(st.sampled_from(["none", "causal", "padding"]))
    return n, length, heads, head_dim, ff, draw(st.booleans()), mask_kind, rng


@given(encoder_cases())
def test_encoder_layer_matches_torch_in_eval_mode(case):
    n, length, heads, head_dim, ff, norm_first, mask_kind, rng = case
    e = heads * head_dim
    layer, params = torch_layer(e, heads, ff, norm_first, rng)
    x = rng.standard_normal((n, length, e))
    kwargs, mask = {}, None
    if mask_kind == "causal":
        mask = np.tril(np.ones((length, length), bool))
        kwargs = dict(src_mask=t(~mask))  # torch: True = may NOT attend
    elif mask_kind == "padding":
        keep = np.arange(length)[None, :] < rng.integers(1, length + 1, n)[:, None]
        mask = np.broadcast_to(keep[:, None, :], (n, length, length))
        kwargs = dict(src_key_padding_mask=t(~keep))
    out, weights = transformer_encoder_layer_forward(x, params, heads, mask, norm_first)
    with torch.no_grad():
        expected = layer(t(x), **kwargs).numpy()
    assert weights.shape == (n, heads, length, length)
    if mask_kind == "padding":  # torch's fast path zeroes the padded positions' outputs
        expected, out = expected[keep], out[keep]
    assert rel_error(out, expected) <= TOL


def test_float32_stays_float32():
    _, params = torch_layer(4, 2, 8, False, np.random.default_rng(0))
    x = np.random.default_rng(1).standard_normal((2, 3, 4)).astype(np.float32)
    params32 = EncoderLayerParams(*(p.astype(np.float32) for p in params))
    out, weights = transformer_encoder_layer_forward(x, params32, 2)
    assert out.dtype == weights.dtype == np.float32


def test_bad_params_are_rejected():
    _, params = torch_layer(4, 2, 8, False, np.random.default_rng(0))
    x = np.ones((2, 3, 4))
    with pytest.raises(TypeError, match=r"params must be an EncoderLayerParams, got dict"):
        transformer_encoder_layer_forward(x, params._asdict(), 2)
    bad = params._replace(linear2_weight=np.ones((4, 7)))
    with pytest.raises(ValueError, match=r"linear2_weight must have shape \(4, 8\) with E = 4"):
        transformer_encoder_layer_forward(x, bad, 2)
    with pytest.raises(ValueError, match=r"norm2_bias must have shape \(4,\)"):
        transformer_encoder_layer_forward(x, params._replace(norm2_bias=np.ones(5)), 2)
    with pytest.raises(ValueError, match=r"x must have rank 3 \(N, L, E\)"):
        transformer_encoder_layer_forward(np.ones((3, 4)), params, 2)
    with pytest.raises(ValueError, match=r"num_heads must divide the embedding size E"):
        transformer_encoder_layer_forward(x, params, 3)
    with pytest.raises(TypeError, match=r"norm_first must be True or False"):
        transformer_encoder_layer_forward(x, params, 2, norm_first="yes")
    with pytest.raises(KeyError, match=r"state_dict lacks \['norm2.bias'\]"):
        state = {k: 0 for k in ["self_attn.in_proj_weight", "self_attn.in_proj_bias"]}
        state |= {f"self_attn.out_proj.{w}": 0 for w in ("weight", "bias")}
        state |= {
            f"{m}.{w}": 0 for m in ("linear1", "linear2", "norm1") for w in ("weight", "bias")
        }
        state |= {"norm2.weight": 0}
        EncoderLayerParams.from_state_dict(state)
