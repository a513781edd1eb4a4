"""Scaled dot-product attention and multi-head attention, forward only.

For queries ``q`` (L, E), keys ``k`` (S, E) and values ``v`` (S, Ev),

    weights = softmax(q @ k.T / sqrt(E))      (L, S), each row sums to 1
    out     = weights @ v                     (L, Ev)

Row ``i`` of ``weights`` says how much query ``i`` takes from each key. A
boolean ``mask`` (L, S) removes pairs before the softmax: **True means "may
attend"**, as in ``torch.nn.functional.scaled_dot_product_attention``.
(``torch.nn.MultiheadAttention``'s boolean ``attn_mask`` means the opposite,
True = "may NOT attend"; pass it ``~mask``.) A query that may attend to no key
has no softmax; torch answers silently there (its function with zeros, its
``MultiheadAttention`` with NaN), here it is refused with a ``ValueError``
that names the row.

Any leading batch axes ``...`` broadcast, as in ``numpy.matmul``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import (
    as_float_array,
    check_finite,
    check_flag,
    check_nonempty,
    check_positive_int,
    check_rank,
    check_shape,
)

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]


def _check_mask(mask: ArrayLike | None, shape: tuple[int, ...], name: str = "mask") -> np.ndarray:
    """Return the boolean mask broadcast to ``shape`` (``...``, L, S), or raise."""
    mask = np.asarray(mask)
    if mask.dtype != np.bool_:
        raise TypeError(
            f"{name} must be a boolean array (True = may attend), got dtype {mask.dtype}; "
            "an additive float mask is not accepted"
        )
    try:
        return np.broadcast_to(mask, shape)
    except ValueError:
        raise ValueError(
            f"{name} must broadcast to (..., L, S) = {shape}, got shape {mask.shape}"
        ) from None


def _check_attention(
    q: ArrayLike, k: ArrayLike, v: ArrayLike, mask: ArrayLike | None, causal: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Validate; return q, k, v in one dtype and the mask broadcast to (..., L, S), or None."""
    arrays = {"q": q, "k": k, "v": v}
    for name in arrays:
        arrays[name] = as_float_array(arrays[name], name)
        if arrays[name].ndim < 2:
            raise ValueError(
                f"{name} must have rank >= 2 (..., L or S, E), got rank {arrays[name].ndim} "
                f"with shape {arrays[name].shape}"
            )
        check_nonempty(arrays[name], name)
        check_finite(arrays[name], name)
    q, k, v = arrays.values()
    check_shape(k, (*k.shape[:-1], q.shape[-1]), "k", "(..., S, E) with E = q.shape[-1]")
    check_shape(v, (*v.shape[:-2], k.shape[-2], v.shape[-1]), "v", "(..., S, Ev), S = k's")
    try:
        batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    except ValueError:
        raise ValueError(
            "the batch axes (...) of q, k and v must broadcast, got shapes "
            f"{q.shape}, {k.shape} and {v.shape}"
        ) from None
    causal = check_flag(causal, "causal")
    if causal and mask is not None:
        raise ValueError("give mask or causal=True, not both (combine them: mask & causal_mask)")
    shape = (*batch, q.shape[-2], k.shape[-2])
    if causal:
        mask = np.tril(np.ones(shape[-2:], dtype=bool))  # query i sees keys 0..i, as torch
    allowed = None if mask is None else _check_mask(mask, shape)
    if allowed is not None and not allowed.any(axis=-1).all():
        row = tuple(int(i) for i in np.argwhere(~allowed.any(axis=-1))[0])
        raise ValueError(
            f"mask lets query row {row} (batch index..., query position) attend to no key; "
            "softmax over no keys is undefined (torch returns zeros or NaN there)"
        )
    dtype = np.result_type(q, k, v)
    return (
        q.astype(dtype, copy=False),
        k.astype(dtype, copy=False),
        v.astype(dtype, copy=False),
        allowed,
    )


def scaled_dot_product_attention(
    q: ArrayLike,
    k: ArrayLike,
    v: ArrayLike,
    mask: ArrayLike | None = None,
    causal: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """``softmax(q kᵀ / sqrt(E)) v``, as ``torch.nn.functional.scaled_dot_product_attention``.

    Parameters
    ----------
    q : array_like, shape (..., L, E)
        Queries; the batch axes ``...`` of q, k and v broadcast.
    k : array_like, shape (..., S, E)
    v : array_like, shape (..., S, Ev)
    mask : array_like of bool, broadcastable to (..., L, S), optional
        True where query i may attend to key j. Every query must be allowed at least one key.
    causal : bool
        Query i attends to keys 0..i only (torch's ``is_causal``, aligned at the top left).
        Like torch, refused together with ``mask``: pass ``mask & np.tril(...)`` instead.

    Returns
    -------
    out : numpy.ndarray, shape (..., L, Ev)
    weights : numpy.ndarray, shape (..., L, S)
        The attention weights; each row sums to 1, masked pairs are exactly 0.

    Raises
    ------
    ValueError
        Shapes that do not fit, a mask that does not broadcast, mask and causal together,
        or a query row that may attend to nothing.

    Examples
    --------
    >>> import numpy as np
    >>> q = k = np.zeros((2, 3))  # equal scores: a plain average of the keys allowed
    >>> v = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> out, weights = scaled_dot_product_attention(q, k, v, causal=True)
    >>> weights
    array([[1. , 0. ],
           [0.5, 0.5]])
    """
    q, k, v, allowed = _check_attention(q, k, v, mask, causal)
    scores = q @ np.swapaxes(k, -1, -2) / math.sqrt(q.shape[-1])  # (..., L, S)
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)  # stable: the largest exponent is 0
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights @ v, weights


def _check_multi_head(
    query, key, value, in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias, num_heads, mask
) -> tuple:
    """Validate the (N, L, E) inputs, the torch-layout parameters and the mask.

    Returns them as arrays, with the mask as (L, S) or (N, heads or 1, L, S), or None.
    """
    names = ("query", "key", "value", "in_proj_weight", "in_proj_bias")
    query, key, value, w_in, b_in = (
        as_float_array(a, n)
        for a, n in zip((query, key, value, in_proj_weight, in_proj_bias), names)
    )
    w_out = as_float_array(out_proj_weight, "out_proj_weight")
    b_out = as_float_array(out_proj_bias, "out_proj_bias")
    check_rank(query, 3, "query", "(N, L, E)")
    n, _, e = query.shape
    check_rank(key, 3, "key", "(N, S, E)")
    check_shape(key, (n, key.shape[1], e), "key", "(N, S, E) with N, E of query")
    check_shape(value, key.shape, "value", "(N, S, E) like key")
    check_shape(w_in, (3 * e, e), "in_proj_weight", "(3E, E): q, k, v rows stacked")
    check_shape(b_in, (3 * e,), "in_proj_bias", "(3E,)")
    check_shape(w_out, (e, e), "out_proj_weight", "(E, E)")
    check_shape(b_out, (e,), "out_proj_bias", "(E,)")
    num_heads = check_positive_int(num_heads, "num_heads")
    if e % num_heads:
        raise ValueError(
            f"num_heads must divide the embedding size E, got num_heads={num_heads} and E={e}"
        )
    if mask is not None:
        mask, (length, source) = np.asarray(mask), (query.shape[1], key.shape[1])
        shapes = [(length, source), (n, length, source), (n, num_heads, length, source)]
        if mask.shape not in shapes:
            raise ValueError(
                "mask must have shape (L, S), (N, L, S) or (N, heads, L, S) = "
                f"{shapes[0]}, {shapes[1]} or {shapes[2]}, got {mask.shape}"
            )
        if mask.ndim == 3:
            mask = mask[:, None]  # (N, L, S) -> (N, 1, L, S): the same for every head
    return query, key, value, w_in, b_in, w_out, b_out, num_heads, mask


def multi_head_attention_forward(
    query: ArrayLike,
    key: ArrayLike,
    value: ArrayLike,
    in_proj_weight: ArrayLike,
    in_proj_bias: ArrayLike,
    out_proj_weight: ArrayLike,
    out_proj_bias: ArrayLike,
    num_heads: int,
    mask: ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Multi-head attention, as ``torch.nn.MultiheadAttention(E, num_heads, batch_first=True)``.

    Each head h projects the inputs to d = E / num_heads dimensions with its own
    rows of ``in_proj_weight``, runs :func:`scaled_dot_product_attention`, and the
    heads' outputs, concatenated back to E, pass through the output projection.

    Parameters
    ----------
    query : array_like, shape (N, L, E)
    key, value : array_like, shape (N, S, E)
    in_proj_weight : array_like, shape (3E, E)
        torch's layout (out, in): the rows of W_q, then W_k, then W_v.
    in_proj_bias : array_like, shape (3E,)
    out_proj_weight : array_like, shape (E, E)
    out_proj_bias : array_like, shape (E,)
    num_heads : int, dividing E
    mask : array_like of bool, shape (L, S), (N, L, S) or (N, heads, L, S), optional
        **True = may attend** (as in :func:`scaled_dot_product_attention`). torch's
        ``MultiheadAttention`` reads a boolean ``attn_mask`` the other way round (True = may
        NOT attend) and wants (L, S) or (N * heads, L, S): give it ``~mask``, reshaped.

    Returns
    -------
    out : numpy.ndarray, shape (N, L, E)
    weights : numpy.ndarray, shape (N, heads, L, S)
        Per head (torch: ``need_weights=True, average_attn_weights=False``).

    Examples
    --------
    >>> import numpy as np
    >>> e = 4
    >>> x = np.ones((1, 3, e))
    >>> w_in, w_out = np.vstack([np.eye(e)] * 3), np.eye(e)
    >>> out, weights = multi_head_attention_forward(
    ...     x, x, x, w_in, np.zeros(3 * e), w_out, np.zeros(e), num_heads=2)
    >>> out.shape, weights.shape, bool(np.allclose(weights, 1 / 3))
    ((1, 3, 4), (1, 2, 3, 3), True)
    """
    query, key, value, w_in, b_in, w_out, b_out, heads, mask = _check_multi_head(
        query,
        key,
        value,
        in_proj_weight,
        in_proj_bias,
        out_proj_weight,
        out_proj_bias,
        num_heads,
        mask,
    )
    n, length, e = query.shape
    w_q, w_k, w_v = np.split(w_in, 3)
    b_q, b_k, b_v = np.split(b_in, 3)

    def split_heads(x: np.ndarray) -> np.ndarray:  # (N, T, E) -> (N, heads, T, d)
        return x.reshape(n, x.shape[1], heads, e // heads).transpose(0, 2, 1, 3)

    q = split_heads(query @ w_q.T + b_q)
    k = split_heads(key @ w_k.T + b_k)
    v = split_heads(value @ w_v.T + b_v)
    heads_out, weights = scaled_dot_product_attention(q, k, v, mask=mask)  # (N, heads, L, d)
    concat = heads_out.transpose(0, 2, 1, 3).reshape(n, length, e)
    return concat @ w_out.T + b_out, weights
