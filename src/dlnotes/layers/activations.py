"""Element-wise activations: ReLU, sigmoid and tanh, for inputs of any shape."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlnotes.checks import as_float_array
from dlnotes.layers._common import check_cache, check_dout

__all__ = [
    "ActivationCache",
    "relu_forward",
    "relu_backward",
    "sigmoid_forward",
    "sigmoid_backward",
    "tanh_forward",
    "tanh_backward",
]


class ActivationCache(NamedTuple):
    """``kind`` names the forward; ``value`` is its input (ReLU) or its output (sigmoid, tanh)."""

    kind: str
    value: np.ndarray


def _backward_value(
    dout: object, cache: ActivationCache, kind: str
) -> tuple[np.ndarray, np.ndarray]:
    check_cache(cache, ActivationCache, f"{kind}_forward")
    if cache.kind != kind:
        raise ValueError(
            f"{kind}_backward needs the cache of {kind}_forward, got one from {cache.kind}_forward"
        )
    return check_dout(dout, cache.value.shape), cache.value


def relu_forward(x: object) -> tuple[np.ndarray, ActivationCache]:
    """``out = max(x, 0)`` element-wise; x and out have the same shape.

    >>> import numpy as np
    >>> relu_forward(np.array([-1.0, 0.0, 2.0]))[0]
    array([0., 0., 2.])
    """
    x = as_float_array(x, "x")
    return np.maximum(x, 0), ActivationCache("relu", x)


def relu_backward(dout: object, cache: ActivationCache) -> np.ndarray:
    """``dx = dout * (x > 0)``; the gradient at exactly 0 is 0, as in PyTorch."""
    dout, x = _backward_value(dout, cache, "relu")
    return dout * (x > 0)


def sigmoid_forward(x: object) -> tuple[np.ndarray, ActivationCache]:
    """``out = 1 / (1 + exp(-x))`` element-wise, without overflow for large |x|.

    >>> import numpy as np
    >>> sigmoid_forward(np.array([-1000.0, 0.0, 1000.0]))[0]
    array([0. , 0.5, 1. ])
    """
    x = as_float_array(x, "x")
    z = np.exp(-np.abs(x))  # in (0, 1], so neither branch overflows
    out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
    return out, ActivationCache("sigmoid", out)


def sigmoid_backward(dout: object, cache: ActivationCache) -> np.ndarray:
    """``dx = dout * s * (1 - s)`` with ``s`` the forward output."""
    dout, s = _backward_value(dout, cache, "sigmoid")
    return dout * s * (1 - s)


def tanh_forward(x: object) -> tuple[np.ndarray, ActivationCache]:
    """``out = tanh(x)`` element-wise."""
    out = np.tanh(as_float_array(x, "x"))
    return out, ActivationCache("tanh", out)


def tanh_backward(dout: object, cache: ActivationCache) -> np.ndarray:
    """``dx = dout * (1 - t**2)`` with ``t`` the forward output."""
    dout, t = _backward_value(dout, cache, "tanh")
    return dout * (1 - t * t)
