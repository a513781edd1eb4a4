"""Element-wise activations: ReLU, sigmoid and tanh, for inputs of any shape.

Each cache holds an array that only the cache owns (ReLU's mask ``x > 0``, a
copy of the sigmoid or tanh output), so changing ``x`` or ``out`` in place
before the backward pass cannot change ``dx``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

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

_KINDS = {"relu": "relu_forward", "sigmoid": "sigmoid_forward", "tanh": "tanh_forward"}


class ActivationCache(NamedTuple):
    """``kind`` names the forward; ``value`` is ReLU's mask ``x > 0`` or the sigmoid/tanh output."""

    kind: str
    value: np.ndarray


def _check_backward(
    dout: ArrayLike, cache: ActivationCache, kind: str
) -> tuple[np.ndarray, np.ndarray]:
    check_cache(cache, ActivationCache, _KINDS[kind], kinds=_KINDS)
    return check_dout(dout, cache.value.shape), cache.value


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))`` without overflow: only ``exp(-|x|)``, in (0, 1], is computed."""
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def relu_forward(x: ArrayLike) -> tuple[np.ndarray, ActivationCache]:
    """``out = max(x, 0)`` element-wise; x and out have the same shape.

    >>> import numpy as np
    >>> relu_forward(np.array([-1.0, 0.0, 2.0]))[0]
    array([0., 0., 2.])
    """
    x = as_float_array(x, "x")
    return np.maximum(x, 0), ActivationCache("relu", x > 0)  # the mask is the derivative


def relu_backward(dout: ArrayLike, cache: ActivationCache) -> np.ndarray:
    """``dx = dout * (x > 0)``, shape of x; the gradient at exactly 0 is 0, as in PyTorch.

    >>> import numpy as np
    >>> relu_backward(np.ones(3), relu_forward(np.array([-1.0, 0.0, 2.0]))[1])
    array([0., 0., 1.])
    """
    dout, mask = _check_backward(dout, cache, "relu")
    return dout * mask


def sigmoid_forward(x: ArrayLike) -> tuple[np.ndarray, ActivationCache]:
    """``out = 1 / (1 + exp(-x))`` element-wise, without overflow for large |x|.

    >>> import numpy as np
    >>> sigmoid_forward(np.array([-1000.0, 0.0, 1000.0]))[0]
    array([0. , 0.5, 1. ])
    """
    out = _sigmoid(as_float_array(x, "x"))
    return out, ActivationCache("sigmoid", out.copy())


def sigmoid_backward(dout: ArrayLike, cache: ActivationCache) -> np.ndarray:
    """``dx = dout * s * (1 - s)`` with ``s`` the forward output, shape of x.

    >>> import numpy as np
    >>> sigmoid_backward(np.ones(1), sigmoid_forward(np.zeros(1))[1])
    array([0.25])
    """
    dout, s = _check_backward(dout, cache, "sigmoid")
    return dout * s * (1 - s)


def tanh_forward(x: ArrayLike) -> tuple[np.ndarray, ActivationCache]:
    """``out = tanh(x)`` element-wise.

    >>> import numpy as np
    >>> tanh_forward(np.zeros(2))[0]
    array([0., 0.])
    """
    out = np.tanh(as_float_array(x, "x"))
    return out, ActivationCache("tanh", out.copy())


def tanh_backward(dout: ArrayLike, cache: ActivationCache) -> np.ndarray:
    """``dx = dout * (1 - t**2)`` with ``t`` the forward output, shape of x.

    >>> import numpy as np
    >>> tanh_backward(np.ones(1), tanh_forward(np.zeros(1))[1])
    array([1.])
    """
    dout, t = _check_backward(dout, cache, "tanh")
    return dout * (1 - t * t)
