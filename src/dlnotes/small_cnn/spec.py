"""The small CNN as one ordered dict of ``dlnotes.shapes`` layer descriptions.

:func:`small_cnn_spec` is the single description that the shape table, the torch
model and the numpy forward pass are all built from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np

from dlnotes.checks import check_choice, check_positive_int
from dlnotes.shapes import (
    BatchNorm1dSpec,
    Conv2dSpec,
    DropoutSpec,
    FlattenSpec,
    LinearSpec,
    MaxPool2dSpec,
    ReLUSpec,
    conv_output_size,
)

__all__ = ["ORDERS", "INIT_SCHEMES", "SmallCNNParams", "small_cnn_spec"]

ORDERS = ("relu-dropout-bn", "bn-relu-dropout")
INIT_SCHEMES = ("unscaled", "he", "torch")
Order = Literal["relu-dropout-bn", "bn-relu-dropout"]
Spec = dict[str, Any]  # {layer name: layer description from dlnotes.shapes}, in forward order
# The layers numpy_forward runs, and their parameters by torch's state_dict names.
_PARAM_KEYS = {
    Conv2dSpec: ("weight", "bias"),
    MaxPool2dSpec: (),
    ReLUSpec: (),
    FlattenSpec: (),
    LinearSpec: ("weight", "bias"),
    DropoutSpec: (),
    BatchNorm1dSpec: ("weight", "bias", "running_mean", "running_var"),
}


class SmallCNNParams(dict):
    """``{state_dict key: float64 ndarray}``, plus ``spec``: the model's layers, in its order."""

    def __init__(self, arrays: Mapping[str, np.ndarray], spec: Spec) -> None:
        super().__init__(arrays)
        self.spec = spec


def small_cnn_spec(
    in_channels: int = 3,
    num_classes: int = 10,
    dropout: float = 0.5,
    image_size: int = 28,
    order: Order = "relu-dropout-bn",
) -> Spec:
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
    (['conv1', 'relu1', 'pool1', 'conv2'], LinearSpec(in_features=256, out_features=128, bias=True))
    """
    side = _check_spec_args(num_classes, image_size, order)
    spec: Spec = {
        "conv1": Conv2dSpec(in_channels, 32, 5, stride=2, padding=2),
        "relu1": ReLUSpec(),
        "pool1": MaxPool2dSpec(2),
        "conv2": Conv2dSpec(32, 64, 3, stride=2, padding=1),
        "relu2": ReLUSpec(),
        "pool2": MaxPool2dSpec(2),
        "flatten": FlattenSpec(),
        "fc1": LinearSpec(64 * side * side, 128),
    }
    head = {"relu3": ReLUSpec(), "dropout": DropoutSpec(dropout), "bn": BatchNorm1dSpec(128)}
    names = ("relu3", "dropout", "bn") if order == "relu-dropout-bn" else ("bn", "relu3", "dropout")
    spec.update((name, head[name]) for name in names)
    spec["fc2"] = LinearSpec(128, num_classes)
    return spec


def _check_spec_args(num_classes: int, image_size: int, order: str) -> int:
    """Validate small_cnn_spec's arguments; return the side of pool2's output."""
    check_positive_int(num_classes, "num_classes")
    check_choice(order, "order", ORDERS)
    side = check_positive_int(image_size, "image_size")
    try:
        for kernel, stride, padding in ((5, 2, 2), (2, 2, 0), (3, 2, 1), (2, 2, 0)):
            side = conv_output_size(side, kernel, stride, padding)
    except ValueError:
        raise ValueError(
            f"image_size must be at least 11 so that a 1×1 map reaches fc1, got {image_size}"
        ) from None
    return side
