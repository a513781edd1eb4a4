"""The small CNN in PyTorch: build it, export its weights to numpy, re-initialise it.

Each function imports torch when called, so importing this module stays cheap.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Literal

from dlnotes import shapes
from dlnotes.checks import check_choice, check_seed
from dlnotes.small_cnn.spec import _PARAM_KEYS, INIT_SCHEMES, Order, SmallCNNParams, small_cnn_spec

__all__ = ["build_small_cnn", "export_params", "init_weights"]


def _torch_layer(layer: Any):
    """The torch layer of a description: ``Conv2dSpec(3, 8, 5)`` -> ``nn.Conv2d(3, 8, 5)``."""
    from torch import nn

    return getattr(nn, type(layer).__name__.removesuffix("Spec"))(**dataclasses.asdict(layer))


def _layer_of(name: str, module: Any) -> Any:
    """The dlnotes.shapes description of one torch layer (``nn.Conv2d`` -> ``Conv2dSpec``)."""
    kind = getattr(shapes, f"{type(module).__name__}Spec", None)
    try:  # torch's repr shows every setting: equal reprs, the same computation
        values = {field.name: getattr(module, field.name) for field in dataclasses.fields(kind)}
        if "bias" in values:
            values["bias"] = values["bias"] is not None
        layer = kind(**values)
        same = type(layer) in _PARAM_KEYS and repr(_torch_layer(layer)) == repr(module)
    except (KeyError, TypeError, ValueError):
        same = False
    if not same:
        raise ValueError(
            f"numpy_forward cannot run layer {name!r} = {module}: it runs Conv2d, MaxPool2d, "
            "Linear, BatchNorm1d, Dropout, ReLU and Flatten with the settings of small_cnn_spec"
        )
    return layer


def build_small_cnn(
    in_channels: int = 3,
    num_classes: int = 10,
    dropout: float = 0.5,
    image_size: int = 28,
    order: Order = "relu-dropout-bn",
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


def export_params(model) -> SmallCNNParams:
    """The model's ``state_dict`` as float64 numpy arrays, in torch's layouts, with its layers.

    Keys are ``"conv1.weight"`` (F, C, HH, WW), ``"fc1.weight"`` (D_out, D_in),
    ``"bn.running_var"`` (D,) and so on; BatchNorm's ``num_batches_tracked``
    counter is left out. ``params.spec`` holds the model's layers as
    ``dlnotes.shapes`` descriptions, in the model's order, so that
    :func:`numpy_forward` runs the same network (``order`` included).

    Raises
    ------
    TypeError, ValueError
        ``model`` is not a ``torch.nn.Sequential`` of layers that numpy_forward can run.
    """
    from torch import nn

    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(model, nn.Sequential):
        raise TypeError(
            "model must be a torch.nn.Sequential (numpy_forward runs its layers in order), "
            f"got {type(model).__name__}"
        )
    arrays = {
        key: value.detach().cpu().double().numpy().copy()
        for key, value in model.state_dict().items()
        if not key.endswith("num_batches_tracked")
    }
    return SmallCNNParams(arrays, {name: _layer_of(name, m) for name, m in model.named_children()})


def init_weights(model, scheme: Literal["unscaled", "he", "torch"], seed: int = 0):
    """Re-initialise every Conv2d and Linear of ``model`` in place; return the model.

    Schemes (biases are set to 0, except for ``"torch"``; a layer built with
    ``bias=False`` has none and keeps none):

    * ``"unscaled"``: weights ~ N(0, 1), plain ``np.random.randn``;
    * ``"he"``: weights ~ N(0, 2 / fan_in) (He et al., 2015) for every layer but the
      last, which gets N(0, 1 / fan_in). The gain follows the nonlinearity *after* the
      layer, as ``torch.nn.init.kaiming_normal_(..., nonlinearity="relu")`` does; the
      derivation from the layer's *input* would give gain 1 also to the first layer,
      whose input is the image (see the chapter 综合：一个完整的卷积网络);
    * ``"torch"``: torch's default, weights and biases ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).

    ``fan_in`` is C*HH*WW for a convolution and D_in for a linear layer. The
    numbers come from a ``torch.Generator`` seeded with ``seed``; torch's
    global generator is not touched.
    """
    import torch
    from torch import nn

    weighted, seed = _check_init(model, scheme, seed)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for index, module in enumerate(weighted):
            fan_in = module.weight[0].numel()
            if scheme == "torch":
                bound = 1 / math.sqrt(fan_in)
                nn.init.uniform_(module.weight, -bound, bound, generator=generator)
                if module.bias is not None:
                    nn.init.uniform_(module.bias, -bound, bound, generator=generator)
                continue
            gain = 2.0 if index < len(weighted) - 1 else 1.0
            std = 1.0 if scheme == "unscaled" else math.sqrt(gain / fan_in)
            nn.init.normal_(module.weight, 0.0, std, generator=generator)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model


def _check_init(model, scheme: str, seed: int) -> tuple[list, int]:
    """Validate init_weights' input; return the Conv2d and Linear layers and the seed."""
    from torch import nn

    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    check_choice(scheme, "scheme", INIT_SCHEMES)
    seed = check_seed(seed)
    weighted = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    if not weighted:
        raise ValueError(
            f"model has no Conv2d or Linear layer to initialise, got {type(model).__name__}"
        )
    return weighted, seed
