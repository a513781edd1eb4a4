"""The small CNN's forward pass with the numpy layers of ``dlnotes.layers``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from dlnotes import layers as L
from dlnotes.checks import as_float_array, check_flag, check_rank
from dlnotes.shapes import (
    Conv2dSpec,
    DropoutSpec,
    FlattenSpec,
    LinearSpec,
    MaxPool2dSpec,
    ReLUSpec,
)
from dlnotes.small_cnn.spec import _PARAM_KEYS, Spec, small_cnn_spec

__all__ = ["numpy_forward"]


def numpy_forward(
    params: Mapping[str, np.ndarray],
    x: ArrayLike,
    spec: Spec | None = None,
    *,
    train: bool = False,
    rng: int | np.random.Generator | None = None,
    return_activations: bool = False,
):
    """Run the network with the numpy layers of ``dlnotes.layers``.

    Parameters
    ----------
    params : dict from :func:`export_params`
        Torch layouts; ``params.spec`` records the model's layers, in its order.
    x : array_like, shape (N, C, H, W)
    spec : dict, optional
        The layers to run: by default those of params (of a plain dict: ``small_cnn_spec()``).
    train : bool
        False, like ``model.eval()``: dropout is the identity, batch norm uses the
        running statistics. True: dropout masks from ``rng``, batch statistics.
    rng : None, int or numpy.random.Generator
        Source of the dropout masks in training mode.
    return_activations : bool
        Also return ``{name: output}`` for every layer.

    Returns
    -------
    logits : ndarray, shape (N, num_classes)
    activations : dict, only if ``return_activations``
    """
    spec, out, weights = _check_forward(params, x, spec, train)
    acts = {}
    for name, layer in spec.items():
        out, _, _ = _layer_forward(layer, weights[name], out, train, rng)
        acts[name] = out
    return (out, acts) if return_activations else out


def _layer_forward(
    layer: Any,
    p: Mapping[str, np.ndarray],
    x: np.ndarray,
    train: bool,
    rng: int | np.random.Generator | None,
    keep: np.ndarray | None = None,
) -> tuple[np.ndarray, Any, tuple[np.ndarray, np.ndarray] | None]:
    """One layer: its output, its cache and (batch norm only) the new running statistics.

    ``p`` holds the layer's parameters by torch's names, ``p["weight"]``, ...;
    ``keep`` is a given dropout keep-mask (True keeps a unit); without it the
    mask comes from ``rng``.
    """
    if isinstance(layer, Conv2dSpec):
        out, cache = L.conv2d_forward(x, p["weight"], p["bias"], layer.stride, layer.padding)
    elif isinstance(layer, MaxPool2dSpec):
        out, cache = L.maxpool2d_forward(x, layer.kernel_size, layer.stride)
    elif isinstance(layer, ReLUSpec):
        out, cache = L.relu_forward(x)
    elif isinstance(layer, FlattenSpec):
        out, cache = x.reshape(x.shape[0], -1), x.shape  # C, H, W order, like nn.Flatten
    elif isinstance(layer, LinearSpec):
        out, cache = L.linear_forward(x, p["weight"].T, p["bias"])  # torch keeps (D_out, D_in)
    elif isinstance(layer, DropoutSpec):
        if keep is None or not train:
            out, cache = L.dropout_forward(x, layer.p, train=train, rng=rng)
        else:  # the factor dropout_forward would apply: 0, or 1/(1-p) for a kept unit
            mask = keep.astype(x.dtype) * (1 / (1 - layer.p))
            out, cache = x * mask, L.DropoutCache(mask, 1.0, x.shape)
    else:  # BatchNorm1dSpec
        stats = (p[key] for key in ("weight", "bias", "running_mean", "running_var"))
        out, cache, mean, var = L.batchnorm_forward(x, *stats, train=train)
        return out, cache, (mean, var)
    return out, cache, None


def _check_forward(
    params: Mapping[str, np.ndarray], x: ArrayLike, spec: Spec | None, train: bool
) -> tuple[Spec, np.ndarray, dict[str, dict[str, np.ndarray]]]:
    """Validate numpy_forward's input; return the spec, x and each layer's parameters."""
    if not isinstance(params, Mapping):
        raise TypeError(
            f"params must be a dict from export_params(model), got {type(params).__name__}"
        )
    recorded = getattr(params, "spec", None)
    spec = (recorded or small_cnn_spec()) if spec is None else spec
    for name, layer in spec.items():
        if type(layer) not in _PARAM_KEYS:
            raise TypeError(
                f"numpy_forward cannot run layer {name!r} of type {type(layer).__name__}"
            )
    if recorded is not None:
        _check_same_layers(spec, recorded)
    x = as_float_array(x, "x")
    check_rank(x, 4, "x", "(N, C, H, W)")
    check_flag(train, "train")
    weights = {
        name: {key: _param(params, name, key, layer) for key in _PARAM_KEYS[type(layer)]}
        for name, layer in spec.items()
    }
    return spec, x, weights


def _describe(spec: Spec) -> list[str]:
    """One line per layer, ``"bn = BatchNorm1d(128)"``: equal lines, the same network."""
    return [
        f"{name} = {layer.name}" + ("" if getattr(layer, "bias", True) else " without bias")
        for name, layer in spec.items()
    ]


def _check_same_layers(spec: Spec, recorded: Spec) -> None:
    """Refuse a spec that is not the network the parameters were exported from."""
    ours, theirs = _describe(spec) + ["nothing"], _describe(recorded) + ["nothing"]
    k = next((k for k, (a, b) in enumerate(zip(ours, theirs)) if a != b), None)
    if k is not None:
        raise ValueError(
            f"spec must list the layers of the model that params come from: layer {k} must be "
            f"{theirs[k]}, got {ours[k]} (leave spec=None to run the model's own layers)"
        )


def _param(params: Mapping[str, np.ndarray], name: str, key: str, layer: Any) -> np.ndarray:
    full = f"{name}.{key}"
    if key == "bias" and getattr(layer, "bias", True) is False:  # the layer adds no bias
        out = layer.out_channels if isinstance(layer, Conv2dSpec) else layer.out_features
        return np.zeros(out)
    if full not in params:
        raise ValueError(
            f"params must hold {full!r} (the keys of export_params(model)), "
            f"got keys {sorted(params)}"
        )
    return params[full]
