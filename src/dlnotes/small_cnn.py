"""The lecture notes' small convolutional network, in PyTorch and in numpy.

Architecture (input (N, 3, 28, 28), PyTorch's NCHW layout)::

    conv1  Conv2d(3→32, 5×5, stride 2, padding 2) → relu1 → pool1 MaxPool2d(2)
    conv2  Conv2d(32→64, 3×3, stride 2, padding 1) → relu2 → pool2 MaxPool2d(2)
    flatten → fc1 Linear(256→128) → head → fc2 Linear(128→10)

``head`` is ReLU → Dropout → BatchNorm1d in the notes' order
(``order="relu-dropout-bn"``) or BatchNorm1d → ReLU → Dropout
(``order="bn-relu-dropout"``), the more common order.

The network ends with **logits**, not probabilities: there is no softmax
layer, because ``torch.nn.CrossEntropyLoss`` applies log-softmax itself.
Apply ``softmax`` only when probabilities are wanted, at prediction time.

One description, :func:`small_cnn_spec`, drives everything: it gives the
shape table (``dlnotes.shapes.trace_shapes``), the torch model
(:func:`build_small_cnn`) and the numpy forward pass (:func:`numpy_forward`).
Only :func:`build_small_cnn`, :func:`export_params` and :func:`init_weights`
need torch, and they import it when called.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from dlnotes import layers as L
from dlnotes.checks import as_float_array, check_positive_int, check_rank
from dlnotes.shapes import (
    BatchNorm1d,
    Conv2d,
    Dropout,
    Flatten,
    Linear,
    MaxPool2d,
    ReLU,
    conv_output_size,
)

__all__ = [
    "ORDERS",
    "INIT_SCHEMES",
    "small_cnn_spec",
    "build_small_cnn",
    "export_params",
    "numpy_forward",
    "init_weights",
]

ORDERS = ("relu-dropout-bn", "bn-relu-dropout")
INIT_SCHEMES = ("unscaled", "he", "torch")


def small_cnn_spec(
    in_channels: int = 3,
    num_classes: int = 10,
    dropout: float = 0.5,
    image_size: int = 28,
    order: str = "relu-dropout-bn",
) -> dict[str, Any]:
    """The network as an ordered ``{name: layer}`` dict of ``dlnotes.shapes`` layers.

    Parameters
    ----------
    in_channels : int
        C of the (N, C, H, W) input.
    num_classes : int
        Width of the output (the number of logits).
    dropout : float in [0, 1)
        Drop probability, as in ``torch.nn.Dropout(p)``.
    image_size : int
        H = W of the input; it fixes fc1's input width (256 for 28).
    order : {"relu-dropout-bn", "bn-relu-dropout"}
        The layers between fc1 and fc2.

    Examples
    --------
    >>> spec = small_cnn_spec()
    >>> list(spec)[:4], spec["fc1"]
    (['conv1', 'relu1', 'pool1', 'conv2'], Linear(in_features=256, out_features=128, bias=True))
    """
    check_positive_int(num_classes, "num_classes")
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, got {order!r}")
    side = check_positive_int(image_size, "image_size")
    try:
        for kernel, stride, padding in ((5, 2, 2), (2, 2, 0), (3, 2, 1), (2, 2, 0)):
            side = conv_output_size(side, kernel, stride, padding)
    except ValueError:
        raise ValueError(
            f"image_size must be at least 11 so that a 1×1 map reaches fc1, got {image_size}"
        ) from None
    spec: dict[str, Any] = {
        "conv1": Conv2d(in_channels, 32, 5, stride=2, padding=2),
        "relu1": ReLU(),
        "pool1": MaxPool2d(2),
        "conv2": Conv2d(32, 64, 3, stride=2, padding=1),
        "relu2": ReLU(),
        "pool2": MaxPool2d(2),
        "flatten": Flatten(),
        "fc1": Linear(64 * side * side, 128),
    }
    head = {"relu3": ReLU(), "dropout": Dropout(dropout), "bn": BatchNorm1d(128)}
    names = ("relu3", "dropout", "bn") if order == "relu-dropout-bn" else ("bn", "relu3", "dropout")
    spec.update((name, head[name]) for name in names)
    spec["fc2"] = Linear(128, num_classes)
    return spec


def _torch_layer(layer: Any):
    from torch import nn

    if isinstance(layer, Conv2d):
        return nn.Conv2d(
            layer.in_channels, layer.out_channels, layer.kernel_size, layer.stride, layer.padding
        )
    if isinstance(layer, MaxPool2d):
        return nn.MaxPool2d(layer.kernel_size, layer.stride)
    if isinstance(layer, Linear):
        return nn.Linear(layer.in_features, layer.out_features)
    if isinstance(layer, BatchNorm1d):
        return nn.BatchNorm1d(layer.num_features)  # eps=1e-5, momentum=0.1
    if isinstance(layer, Dropout):
        return nn.Dropout(layer.p)
    return {ReLU: nn.ReLU, Flatten: nn.Flatten}[type(layer)]()


def build_small_cnn(
    in_channels: int = 3,
    num_classes: int = 10,
    dropout: float = 0.5,
    image_size: int = 28,
    order: str = "relu-dropout-bn",
):
    """The network as a ``torch.nn.Sequential`` whose modules carry the spec's names.

    Takes the arguments of :func:`small_cnn_spec`. Input (N, C, H, W) float
    tensor, output (N, num_classes) logits. The weights get torch's default
    initialisation, drawn from torch's global generator (seed it with
    ``torch.manual_seed``), or use :func:`init_weights`.

    Examples
    --------
    >>> import torch
    >>> model = build_small_cnn()
    >>> model(torch.zeros(2, 3, 28, 28)).shape
    torch.Size([2, 10])
    """
    from collections import OrderedDict

    from torch import nn

    spec = small_cnn_spec(in_channels, num_classes, dropout, image_size, order)
    return nn.Sequential(OrderedDict((name, _torch_layer(layer)) for name, layer in spec.items()))


def export_params(model) -> dict[str, np.ndarray]:
    """The model's ``state_dict`` as float64 numpy arrays, in torch's layouts.

    Keys are ``"conv1.weight"`` (F, C, HH, WW), ``"fc1.weight"`` (D_out, D_in),
    ``"bn.running_var"`` (D,) and so on; BatchNorm's ``num_batches_tracked``
    counter is left out.
    """
    from torch import nn

    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return {
        key: value.detach().cpu().double().numpy().copy()
        for key, value in model.state_dict().items()
        if not key.endswith("num_batches_tracked")
    }


def _param(params: Mapping[str, np.ndarray], key: str) -> np.ndarray:
    if key not in params:
        raise ValueError(
            f"params must hold {key!r} (the keys of export_params(model)), got keys {sorted(params)}"
        )
    return params[key]


def numpy_forward(
    params: Mapping[str, np.ndarray],
    x: object,
    spec: Mapping[str, Any] | None = None,
    *,
    train: bool = False,
    rng: object = None,
    return_activations: bool = False,
):
    """Run the network with the numpy layers of ``dlnotes.layers``.

    Parameters
    ----------
    params : mapping of str to ndarray
        As returned by :func:`export_params` (torch layouts; fc weights are
        (D_out, D_in) and are transposed here for ``linear_forward``).
    x : array_like, shape (N, C, H, W)
    spec : dict, optional
        From :func:`small_cnn_spec`; the default network when omitted.
    train : bool
        False (evaluation, like ``model.eval()``): dropout is the identity and
        batch norm uses the running statistics. True: dropout draws a mask
        from ``rng`` and batch norm uses the batch statistics (the running
        statistics are not updated).
    rng : None, int or numpy.random.Generator
        Source of the dropout masks in training mode.
    return_activations : bool
        Also return ``{name: output}`` for every layer.

    Returns
    -------
    logits : numpy.ndarray, shape (N, num_classes)
    activations : dict, only if ``return_activations``

    Examples
    --------
    >>> import torch
    >>> model = build_small_cnn().double().eval()
    >>> x = np.random.default_rng(0).random((2, 3, 28, 28))
    >>> bool(np.allclose(numpy_forward(export_params(model), x), model(torch.from_numpy(x)).detach().numpy()))
    True
    """
    if not isinstance(params, Mapping):
        raise TypeError(
            f"params must be a dict from export_params(model), got {type(params).__name__}"
        )
    spec = small_cnn_spec() if spec is None else spec
    out = as_float_array(x, "x")
    check_rank(out, 4, "x", "(N, C, H, W)")
    acts = {}
    for name, layer in spec.items():
        if isinstance(layer, Conv2d):
            weight, bias = _param(params, f"{name}.weight"), _param(params, f"{name}.bias")
            out, _ = L.conv2d_forward(out, weight, bias, layer.stride, layer.padding)
        elif isinstance(layer, MaxPool2d):
            out, _ = L.maxpool2d_forward(out, layer.kernel_size, layer.stride)
        elif isinstance(layer, ReLU):
            out, _ = L.relu_forward(out)
        elif isinstance(layer, Flatten):
            out = out.reshape(out.shape[0], -1)  # C, H, W order, like torch.nn.Flatten on NCHW
        elif isinstance(layer, Linear):
            out, _ = L.linear_forward(
                out, _param(params, f"{name}.weight").T, _param(params, f"{name}.bias")
            )
        elif isinstance(layer, Dropout):
            out, _ = L.dropout_forward(out, layer.p, train=train, rng=rng)
        elif isinstance(layer, BatchNorm1d):
            stats = [
                _param(params, f"{name}.{key}")
                for key in ("weight", "bias", "running_mean", "running_var")
            ]
            out, *_ = L.batchnorm_forward(out, *stats, train=train)
        else:
            raise TypeError(
                f"numpy_forward cannot run layer {name!r} of type {type(layer).__name__}"
            )
        acts[name] = out
    return (out, acts) if return_activations else out


def init_weights(model, scheme: str, seed: int = 0):
    """Re-initialise every Conv2d and Linear of ``model`` in place; return the model.

    Schemes (biases are set to 0, except for ``"torch"``):

    * ``"unscaled"``: weights ~ N(0, 1), like ``np.random.randn`` in the lecture notes;
    * ``"he"``: weights ~ N(0, 2 / fan_in) (He et al., 2015) for every layer
      but the last, which gets N(0, 1 / fan_in) because no ReLU follows it;
    * ``"torch"``: torch's default, weights and biases ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).

    ``fan_in`` is C*HH*WW for a convolution and D_in for a linear layer. The
    numbers come from a ``torch.Generator`` seeded with ``seed``; torch's
    global generator is not touched.
    """
    import torch
    from torch import nn

    if scheme not in INIT_SCHEMES:
        raise ValueError(f"scheme must be one of {INIT_SCHEMES}, got {scheme!r}")
    seed = check_positive_int(seed, "seed", minimum=0)
    generator = torch.Generator().manual_seed(seed)
    weighted = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    if not weighted:
        raise ValueError(
            f"model has no Conv2d or Linear layer to initialise, got {type(model).__name__}"
        )
    with torch.no_grad():
        for index, module in enumerate(weighted):
            fan_in = module.weight[0].numel()
            if scheme == "torch":
                bound = 1 / math.sqrt(fan_in)
                nn.init.uniform_(module.weight, -bound, bound, generator=generator)
                nn.init.uniform_(module.bias, -bound, bound, generator=generator)
                continue
            gain = 2.0 if index < len(weighted) - 1 else 1.0
            std = 1.0 if scheme == "unscaled" else math.sqrt(gain / fan_in)
            nn.init.normal_(module.weight, 0.0, std, generator=generator)
            nn.init.zeros_(module.bias)
    return model
