"""scaled_dot_product_attention and multi_head_attention_forward against PyTorch (float64).

Tolerance: both sides compute the same O(E + S) sums and one softmax in float64, so they
differ by a few hundred ulps at most; 1e-10 normwise relative error (rel_error, whose
denominator is the largest magnitude, i.e. an absolute floor) leaves a wide margin.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.gradcheck import rel_error
from dlnotes.layers import multi_head_attention_forward, scaled_dot_product_attention

torch = pytest.importorskip("torch")
F = torch.nn.functional
TOL = 1e-10


def t(a):
    return torch.tensor(np.asarray(a))


def random_mask(rng, shape):
    """A boolean mask with at least one True in every row (so every query has a key)."""
    mask = rng.random(shape) < 0.5
    rows = mask.reshape(-1, shape[-1])
    rows[np.arange(len(rows)), rng.integers(0, shape[-1], len(rows))] = True
    return mask


@st.composite
def attention_cases(draw):
    batch = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    length, source = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    e, ev = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([1.0, 10.0]))
    q = rng.standard_normal((*batch, length, e)) * scale
    k = rng.standard_normal((*batch, source, e)) * scale
    v = rng.standard_normal((*batch, source, ev))
    kind = draw(st.sampled_from(["none", "full", "row", "causal"]))
    mask = None
    if kind == "full":
        mask = random_mask(rng, (*batch, length, source))
    elif kind == "row":  # (L, S), broadcast over the batch
        mask = random_mask(rng, (length, source))
    return q, k, v, mask, kind == "causal"


def reference_weights(q, k, mask):
    """softmax(q kᵀ / sqrt(E)) in torch, with the masked scores set to -inf first."""
    scores = t(q) @ t(k).transpose(-1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~t(mask), float("-inf"))
    return torch.softmax(scores, dim=-1).numpy()


@given(attention_cases())
def test_attention_matches_torch(case):
    q, k, v, mask, causal = case
    out, weights = scaled_dot_product_attention(q, k, v, mask=mask, causal=causal)
    expected = F.scaled_dot_product_attention(
        t(q), t(k), t(v), attn_mask=None if mask is None else t(mask), is_causal=causal
    ).numpy()
    assert out.shape == expected.shape
    assert rel_error(out, expected) <= TOL
    effective = np.tril(np.ones((q.shape[-2], k.shape[-2]), bool)) if causal else mask
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-13)
    if effective is not None:
        assert np.all(weights[~np.broadcast_to(effective, weights.shape)] == 0)
    assert rel_error(weights, reference_weights(q, k, effective)) <= TOL


def test_batch_axes_broadcast_like_matmul():
    rng = np.random.default_rng(3)
    q, k = rng.standard_normal((2, 3, 4, 5)), rng.standard_normal((3, 6, 5))
    v = rng.standard_normal((1, 1, 6, 2))
    out, weights = scaled_dot_product_attention(q, k, v)
    assert out.shape == (2, 3, 4, 2) and weights.shape == (2, 3, 4, 6)
    expected = F.scaled_dot_product_attention(
        t(q), t(np.broadcast_to(k, (2, 3, 6, 5))), t(np.broadcast_to(v, (2, 3, 6, 2)))
    )
    assert rel_error(out, expected.numpy()) <= TOL


def test_causal_is_top_left_aligned_when_queries_and_keys_differ_in_length():
    # L = 2 queries, S = 4 keys: query i may see keys 0..i (torch's is_causal convention)
    q, k, v = np.zeros((2, 3)), np.zeros((4, 3)), np.eye(4)
    out, weights = scaled_dot_product_attention(q, k, v, causal=True)
    np.testing.assert_array_equal(weights, [[1, 0, 0, 0], [0.5, 0.5, 0, 0]])
    expected = F.scaled_dot_product_attention(t(q), t(k), t(v), is_causal=True).numpy()
    assert rel_error(out, expected) <= TOL


def test_huge_scores_stay_finite_and_match_torch():
    rng = np.random.default_rng(4)
    q, k, v = rng.standard_normal((3, 4)) * 1e3, rng.standard_normal((5, 4)) * 1e3, np.eye(5)
    out, weights = scaled_dot_product_attention(q, k, v)
    assert np.isfinite(out).all()
    assert rel_error(out, F.scaled_dot_product_attention(t(q), t(k), t(v)).numpy()) <= TOL


def test_float32_stays_float32_and_inputs_are_not_modified():
    rng = np.random.default_rng(5)
    q, k, v = (rng.standard_normal(s).astype(np.float32) for s in [(3, 4), (5, 4), (5, 2)])
    mask = random_mask(rng, (3, 5))
    copies = [a.copy() for a in (q, k, v, mask)]
    out, weights = scaled_dot_product_attention(q, k, v, mask=mask)
    assert out.dtype == weights.dtype == np.float32
    for original, copy in zip((q, k, v, mask), copies):
        np.testing.assert_array_equal(original, copy)


def test_torch_refuses_mask_with_causal_and_answers_silently_for_an_empty_row():
    # why dlnotes refuses both cases instead of copying torch's behaviour
    q = torch.zeros(2, 3, dtype=torch.float64)
    with pytest.raises(RuntimeError):
        F.scaled_dot_product_attention(
            q, q, q, attn_mask=torch.ones(2, 2, dtype=bool), is_causal=True
        )
    empty_row = torch.tensor([[True, True], [False, False]])
    v = torch.ones(2, 3, dtype=torch.float64)
    # the function gives zeros (not a weighted average of the values), the module gives NaN
    assert torch.all(F.scaled_dot_product_attention(q, q, v, attn_mask=empty_row)[1] == 0)
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True).double().eval()
    x = torch.ones(1, 2, 4, dtype=torch.float64)
    with torch.no_grad():
        assert torch.isnan(mha(x, x, x, attn_mask=~empty_row)[0][0, 1]).all()


ATTENTION_BAD = [
    ("mask and causal", dict(mask=np.ones((3, 4), bool), causal=True), ValueError,
     r"give mask or causal=True, not both"),
    ("a row with no key", dict(mask=np.array([[1, 1, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]], bool)),
     ValueError, r"mask lets query row \(1,\) .* attend to no key"),
    ("float mask", dict(mask=np.zeros((3, 4))), TypeError,
     r"mask must be a boolean array \(True = may attend\), got dtype float64"),
    ("mask of the wrong shape", dict(mask=np.ones((4, 3), bool)), ValueError,
     r"mask must broadcast to \(..., L, S\) = \(3, 4\), got shape \(4, 3\)"),
    ("E of k differs", dict(k=np.ones((4, 5))), ValueError,
     r"k must have shape \(4, 2\) \(..., S, E\) with E = q.shape\[-1\], got \(4, 5\)"),
    ("S of v differs", dict(v=np.ones((5, 6))), ValueError,
     r"v must have shape \(4, 6\) \(..., S, Ev\), S = k's, got \(5, 6\)"),
    ("q of rank 1", dict(q=np.ones(2)), ValueError, r"q must have rank >= 2 .*, got rank 1"),
    ("NaN in v", dict(v=np.full((4, 6), np.nan)), ValueError, r"v must be finite"),
    ("batch axes differ", dict(q=np.ones((2, 3, 2)), k=np.ones((3, 4, 2)), v=np.ones((3, 4, 6))),
     ValueError, r"the batch axes \(...\) of q, k and v must broadcast"),
    ("causal not a bool", dict(causal=1), TypeError, r"causal must be True or False, got 1"),
    ("empty k", dict(k=np.ones((0, 2)), v=np.ones((0, 6))), ValueError, r"k must not be empty"),
]  # fmt: skip


@pytest.mark.parametrize(
    "change, error, message", [c[1:] for c in ATTENTION_BAD], ids=[c[0] for c in ATTENTION_BAD]
)
def test_attention_rejects_bad_arguments(change, error, message):
    good = dict(q=np.ones((3, 2)), k=np.ones((4, 2)), v=np.ones((4, 6)))
    with pytest.raises(error, match=message):
        scaled_dot_product_attention(**(good | change))


def test_the_empty_row_is_named_with_its_batch_index():
    mask = np.ones((2, 3, 4), bool)
    mask[1, 2] = False
    with pytest.raises(ValueError, match=r"query row \(1, 2\)"):
        scaled_dot_product_attention(
            np.ones((2, 3, 2)), np.ones((2, 4, 2)), np.ones((2, 4, 1)), mask
        )


# --- multi-head attention -------------------------------------------------------------


def torch_mha(e, heads, rng):
    """A float64 torch.nn.MultiheadAttention with random (non-default) biases."""
    torch.manual_seed(int(rng.integers(2**31)))
    mha = torch.nn.MultiheadAttention(e, heads, batch_first=True).double().eval()
    with torch.no_grad():
        mha.in_proj_bias.copy_(t(rng.standard_normal(3 * e)))
        mha.out_proj.bias.copy_(t(rng.standard_normal(e)))
    params = [
        p.detach().numpy()
        for p in (mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias)
    ]
    return mha, params


@st.composite
def mha_cases(draw):
    n, length, source = draw(st.integers(1, 3)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    heads, head_dim = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    e = heads * head_dim
    query = rng.standard_normal((n, length, e))
    key, value = rng.standard_normal((n, source, e)), rng.standard_normal((n, source, e))
    shape = draw(
        st.sampled_from([None, (length, source), (n, length, source), (n, heads, length, source)])
    )
    mask = None if shape is None else random_mask(rng, shape)
    return query, key, value, heads, mask, rng


def torch_mask(mask, n, heads):
    """Our "True = may attend" mask as torch.nn.MultiheadAttention wants it (True = may NOT)."""
    if mask is None:
        return None
    length, source = mask.shape[-2:]
    if mask.ndim == 3:
        mask = np.repeat(mask[:, None], heads, axis=1)
    return t(~mask if mask.ndim == 2 else ~mask.reshape(n * heads, length, source))


@given(mha_cases())
def test_multi_head_attention_matches_torch(case):
    query, key, value, heads, mask, rng = case
    mha, params = torch_mha(query.shape[-1], heads, rng)
    out, weights = multi_head_attention_forward(query, key, value, *params, heads, mask=mask)
    with torch.no_grad():
        expected, expected_weights = mha(
            t(query), t(key), t(value), attn_mask=torch_mask(mask, len(query), heads),
            need_weights=True, average_attn_weights=False,
        )  # fmt: skip
    assert weights.shape == (len(query), heads, query.shape[1], key.shape[1])
    assert rel_error(out, expected.numpy()) <= TOL
    assert rel_error(weights, expected_weights.numpy()) <= TOL


def test_torch_mask_convention_is_the_opposite_and_padding_matches_key_padding_mask():
    rng = np.random.default_rng(6)
    mha, params = torch_mha(6, 2, rng)
    x = rng.standard_normal((2, 4, 6))
    keep = np.array([[True, True, True, False], [True, True, False, False]])  # False = padding
    mask = np.broadcast_to(keep[:, None, :], (2, 4, 4))  # (N, L, S)
    out, weights = multi_head_attention_forward(x, x, x, *params, 2, mask=mask)
    with torch.no_grad():
        padded, _ = mha(t(x), t(x), t(x), key_padding_mask=t(~keep))
        not_inverted, _ = mha(t(x), t(x), t(x), key_padding_mask=t(keep))
    assert rel_error(out, padded.numpy()) <= TOL
    assert rel_error(out, not_inverted.numpy()) > 1e-3  # passing our mask unchanged is wrong
    assert np.all(weights[0, :, :, 3] == 0) and np.all(weights[1, :, :, 2:] == 0)


MHA_BAD = [
    ("heads do not divide E", dict(num_heads=4), ValueError,
     r"num_heads must divide the embedding size E, got num_heads=4 and E=6"),
    ("mask of the wrong shape", dict(mask=np.ones((2, 3, 3), bool)), ValueError,
     r"mask must have shape \(L, S\), \(N, L, S\) or \(N, heads, L, S\) = \(3, 5\), "
     r"\(2, 3, 5\) or \(2, 2, 3, 5\), got \(2, 3, 3\)"),
    ("torch's (N*heads, L, S) mask", dict(mask=np.ones((4, 3, 5), bool)), ValueError,
     r"mask must have shape .* got \(4, 3, 5\)"),
    ("float mask", dict(mask=np.ones((3, 5))), TypeError, r"mask must be a boolean array"),
    ("in_proj_weight transposed", dict(in_proj_weight=np.ones((6, 18))), ValueError,
     r"in_proj_weight must have shape \(18, 6\) \(3E, E\)"),
    ("in_proj_bias", dict(in_proj_bias=np.ones(6)), ValueError,
     r"in_proj_bias must have shape \(18,\)"),
    ("out_proj_weight", dict(out_proj_weight=np.ones((6, 5))), ValueError,
     r"out_proj_weight must have shape \(6, 6\)"),
    ("out_proj_bias", dict(out_proj_bias=np.ones(5)), ValueError,
     r"out_proj_bias must have shape \(6,\)"),
    ("key of another batch", dict(key=np.ones((1, 5, 6))), ValueError,
     r"key must have shape \(2, 5, 6\) \(N, S, E\) with N, E of query, got \(1, 5, 6\)"),
    ("value unlike key", dict(value=np.ones((2, 4, 6))), ValueError,
     r"value must have shape \(2, 5, 6\) \(N, S, E\) like key"),
    ("query of rank 2", dict(query=np.ones((3, 6))), ValueError,
     r"query must have rank 3 \(N, L, E\)"),
    ("zero heads", dict(num_heads=0), ValueError, r"num_heads must be >= 1, got 0"),
]  # fmt: skip


@pytest.mark.parametrize(
    "change, error, message", [c[1:] for c in MHA_BAD], ids=[c[0] for c in MHA_BAD]
)
def test_multi_head_attention_rejects_bad_arguments(change, error, message):
    good = dict(
        query=np.ones((2, 3, 6)), key=np.ones((2, 5, 6)), value=np.ones((2, 5, 6)),
        in_proj_weight=np.ones((18, 6)), in_proj_bias=np.ones(18),
        out_proj_weight=np.ones((6, 6)), out_proj_bias=np.ones(6), num_heads=2,
    )  # fmt: skip
    with pytest.raises(error, match=message):
        multi_head_attention_forward(**(good | change))
