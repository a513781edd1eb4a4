"""The parts of a Transformer encoder: positional encoding, layer norm, the encoder layer.

Forward only. Weights use torch's layout (out_features, in_features), so a
``torch.nn.TransformerEncoderLayer``'s ``state_dict`` converts with
:meth:`EncoderLayerParams.from_state_dict` (after ``.double().numpy()`` on
each tensor), and :func:`transformer_encoder_layer_forward` then equals that
layer in eval mode (``batch_first=True``, ``activation="relu"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import (
    as_float_array,
    check_finite,
    check_flag,
    check_number,
    check_positive_int,
    check_rank,
    check_shape,
)
from dlnotes.layers.attention import multi_head_attention_forward

__all__ = [
    "sinusoidal_positional_encoding",
    "layer_norm",
    "EncoderLayerParams",
    "transformer_encoder_layer_forward",
]


def sinusoidal_positional_encoding(length: int, dim: int, base: float = 10000.0) -> np.ndarray:
    """The sine-cosine position codes of Vaswani et al. (2017).

    ``PE[p, 2i] = sin(p / base**(2i / dim))`` and ``PE[p, 2i + 1] = cos(p / base**(2i / dim))``:
    each pair of columns is a point on the unit circle turning with its own frequency.

    Parameters
    ----------
    length : int >= 1
        Number of positions p = 0, ..., length - 1.
    dim : int >= 1
        Embedding size; an odd ``dim`` ends with a sine column.
    base : float > 0

    Returns
    -------
    numpy.ndarray, shape (length, dim), float64

    Examples
    --------
    >>> pe = sinusoidal_positional_encoding(3, 4)
    >>> pe[0]
    array([0., 1., 0., 1.])
    >>> bool(np.allclose(pe[:, 0] ** 2 + pe[:, 1] ** 2, 1))
    True
    """
    length, dim = check_positive_int(length, "length"), check_positive_int(dim, "dim")
    base = check_number(base, "base", positive=True)
    positions = np.arange(length)[:, None]  # (length, 1)
    frequencies = base ** (-np.arange(0, dim, 2) / dim)  # 1 / base**(2i / dim), (ceil(dim/2),)
    angles = positions * frequencies  # (length, ceil(dim/2))
    pe = np.empty((length, dim))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles[:, : dim // 2])
    return pe


def _check_layer_norm(
    x: ArrayLike, weight: ArrayLike, bias: ArrayLike, eps: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    x = as_float_array(x, "x")
    if x.ndim == 0:
        raise ValueError("x must have rank >= 1 (..., D), got a scalar")
    check_finite(x, "x")
    weight, bias = as_float_array(weight, "weight"), as_float_array(bias, "bias")
    check_shape(weight, x.shape[-1:], "weight", "(D,) with D = x.shape[-1]")
    check_shape(bias, x.shape[-1:], "bias", "(D,) with D = x.shape[-1]")
    return x, weight.astype(x.dtype), bias.astype(x.dtype), check_number(eps, "eps", positive=True)


def layer_norm(x: ArrayLike, weight: ArrayLike, bias: ArrayLike, eps: float = 1e-5) -> np.ndarray:
    """Normalise each vector over its last axis, as ``torch.nn.functional.layer_norm``.

    ``(x - mean) / sqrt(var + eps) * weight + bias``, with the mean and the biased
    variance of the D numbers of one vector (one token), not of the batch.

    Parameters
    ----------
    x : array_like, shape (..., D)
    weight, bias : array_like, shape (D,)
    eps : float > 0

    Returns
    -------
    numpy.ndarray, shape (..., D), in the dtype of x

    Examples
    --------
    >>> layer_norm(np.array([[1.0, 3.0]]), np.ones(2), np.zeros(2), eps=1e-12).round(6)
    array([[-1.,  1.]])
    """
    x, weight, bias, eps = _check_layer_norm(x, weight, bias, eps)
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)  # biased (divides by D), as torch
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class EncoderLayerParams(NamedTuple):
    """The weights of one encoder layer, named and laid out as in torch.nn.TransformerEncoderLayer.

    Shapes with E the embedding size and F = ``dim_feedforward``: ``in_proj_weight`` (3E, E),
    ``in_proj_bias`` (3E,), ``out_proj_weight`` (E, E), ``linear1_weight`` (F, E),
    ``linear2_weight`` (E, F), the norms' ``weight`` and ``bias`` (E,).
    """

    in_proj_weight: np.ndarray
    in_proj_bias: np.ndarray
    out_proj_weight: np.ndarray
    out_proj_bias: np.ndarray
    linear1_weight: np.ndarray
    linear1_bias: np.ndarray
    linear2_weight: np.ndarray
    linear2_bias: np.ndarray
    norm1_weight: np.ndarray
    norm1_bias: np.ndarray
    norm2_weight: np.ndarray
    norm2_bias: np.ndarray

    @classmethod
    def from_state_dict(cls, state: Mapping[str, ArrayLike]) -> EncoderLayerParams:
        """Build from a ``state_dict`` whose tensors were turned into arrays.

        The keys are torch's: ``self_attn.in_proj_weight``, ``linear1.weight``,
        ``norm1.bias``, ... (``self_attn.out_proj.weight`` for the output projection).
        """
        keys = {name: name.replace("_", ".", 1) for name in cls._fields}
        keys |= {f"in_proj_{w}": f"self_attn.in_proj_{w}" for w in ("weight", "bias")}
        keys |= {f"out_proj_{w}": f"self_attn.out_proj.{w}" for w in ("weight", "bias")}
        missing = [key for key in keys.values() if key not in state]
        if missing:
            raise KeyError(f"state_dict lacks {missing}; got keys {sorted(state)}")
        return cls(**{name: np.asarray(state[key]) for name, key in keys.items()})


def _check_encoder(
    x: ArrayLike, params: EncoderLayerParams, num_heads: int, norm_first: bool, eps: float
) -> tuple[np.ndarray, EncoderLayerParams]:
    """Validate x (N, L, E) and the shapes of the feed-forward and norm parameters."""
    if not isinstance(params, EncoderLayerParams):
        raise TypeError(f"params must be an EncoderLayerParams, got {type(params).__name__}")
    x = as_float_array(x, "x")
    check_rank(x, 3, "x", "(N, L, E)")
    e = x.shape[-1]
    arrays = {name: as_float_array(a, name) for name, a in params._asdict().items()}
    f = arrays["linear1_weight"].shape[0] if arrays["linear1_weight"].ndim == 2 else -1
    expected = {"linear1_weight": (f, e), "linear1_bias": (f,), "linear2_weight": (e, f)}
    expected |= {name: (e,) for name in ("linear2_bias", "norm1_weight", "norm1_bias")}
    expected |= {name: (e,) for name in ("norm2_weight", "norm2_bias")}
    for name, shape in expected.items():
        check_shape(arrays[name], shape, name, f"with E = {e}, F = dim_feedforward")
    check_positive_int(num_heads, "num_heads")  # the attention checks the rest
    check_flag(norm_first, "norm_first")
    check_number(eps, "eps", positive=True)
    dtype = np.result_type(x, *arrays.values())
    return x.astype(dtype, copy=False), EncoderLayerParams(**arrays)


def transformer_encoder_layer_forward(
    x: ArrayLike,
    params: EncoderLayerParams,
    num_heads: int,
    mask: ArrayLike | None = None,
    norm_first: bool = False,
    eps: float = 1e-5,
) -> tuple[np.ndarray, np.ndarray]:
    """One Transformer encoder layer: self-attention, then a feed-forward net, each with a residual.

    Post-norm (``norm_first=False``, the original Transformer and torch's default)::

        x = layer_norm(x + self_attention(x))
        x = layer_norm(x + linear2(relu(linear1(x))))

    Pre-norm (``norm_first=True``) normalises the input of each branch instead:
    ``x = x + self_attention(layer_norm(x))``, then the same for the feed-forward branch.

    Parameters
    ----------
    x : array_like, shape (N, L, E)
    params : EncoderLayerParams
    num_heads : int, dividing E
    mask : array_like of bool, shape (L, S), (N, L, S) or (N, heads, L, S), optional
        True = may attend (see :func:`~dlnotes.layers.multi_head_attention_forward`).
    norm_first : bool
    eps : float > 0
        The layer norms' epsilon (torch's ``layer_norm_eps``).

    Returns
    -------
    out : numpy.ndarray, shape (N, L, E)
    weights : numpy.ndarray, shape (N, heads, L, L)
        The self-attention weights.

    Examples
    --------
    >>> e, f = 4, 8
    >>> p = EncoderLayerParams(np.zeros((3 * e, e)), np.zeros(3 * e), np.eye(e), np.zeros(e),
    ...     np.zeros((f, e)), np.zeros(f), np.zeros((e, f)), np.zeros(e),
    ...     np.ones(e), np.zeros(e), np.ones(e), np.zeros(e))
    >>> out, weights = transformer_encoder_layer_forward(np.ones((2, 5, e)), p, num_heads=2)
    >>> out.shape, weights.shape
    ((2, 5, 4), (2, 2, 5, 5))
    """
    x, p = _check_encoder(x, params, num_heads, norm_first, eps)

    def self_attention(h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        attn = (p.in_proj_weight, p.in_proj_bias, p.out_proj_weight, p.out_proj_bias)
        return multi_head_attention_forward(h, h, h, *attn, num_heads, mask)

    def feed_forward(h: np.ndarray) -> np.ndarray:
        hidden = np.maximum(h @ p.linear1_weight.T + p.linear1_bias, 0)  # ReLU
        return hidden @ p.linear2_weight.T + p.linear2_bias

    if norm_first:
        attended, weights = self_attention(layer_norm(x, p.norm1_weight, p.norm1_bias, eps))
        x = x + attended
        x = x + feed_forward(layer_norm(x, p.norm2_weight, p.norm2_bias, eps))
    else:
        attended, weights = self_attention(x)
        x = layer_norm(x + attended, p.norm1_weight, p.norm1_bias, eps)
        x = layer_norm(x + feed_forward(x), p.norm2_weight, p.norm2_bias, eps)
    return x, weights
