"""Layer descriptions and a shape tracer for stacks of layers.

Each ``...Spec`` describes the ``torch.nn`` layer of the same name without
``Spec`` (``Conv2dSpec`` is ``torch.nn.Conv2d``): its hyper-parameters, the
shape of its output and its number of trainable parameters. ``trace_shapes``
follows an input shape through a list of them (in PyTorch's NCHW layout) and
counts each layer's parameters the way ``sum(p.numel() for p in
module.parameters())`` does in torch::

    >>> from dlnotes.shapes import Conv2dSpec, FlattenSpec, LinearSpec, MaxPool2dSpec, ReLUSpec
    >>> rows = trace_shapes((1, 3, 28, 28), [
    ...     Conv2dSpec(3, 32, 5, stride=2, padding=2), ReLUSpec(), MaxPool2dSpec(2),
    ...     FlattenSpec(), LinearSpec(32 * 7 * 7, 10)])
    >>> [row.output_shape for row in rows]
    [(1, 32, 14, 14), (1, 32, 14, 14), (1, 32, 7, 7), (1, 1568), (1, 10)]
    >>> [row.params for row in rows]
    [2432, 0, 0, 0, 15690]

The names without ``Spec`` (``Conv2d``, ``Linear``, ...) are kept as aliases
for old code; they clash with ``torch.nn`` in a notebook that imports both.
Tables of the rows are shown with :func:`dlnotes.plotting.show_table`;
``format_table`` and ``rows_as_records`` moved to :mod:`dlnotes.plotting.tables`
and stay importable from here. ``conv_output_size`` lives in
:mod:`dlnotes.layers.sizes`.

``receptive_field`` follows the receptive field (size, jump, centre) of the
same descriptions through the convolution and pooling layers.

The descriptions are in :mod:`~dlnotes.shapes.specs`, the tracer in
:mod:`~dlnotes.shapes.trace`, the receptive fields in
:mod:`~dlnotes.shapes.receptive_field`; everything is importable from ``dlnotes.shapes``.
"""

from __future__ import annotations

from typing import Any

from dlnotes.layers.sizes import conv_output_size  # its home; re-exported for earlier code
from dlnotes.shapes.receptive_field import ReceptiveFieldRow, receptive_field
from dlnotes.shapes.specs import (
    AvgPool2dSpec,
    BatchNorm1dSpec,
    BatchNorm2dSpec,
    Conv2dSpec,
    DropoutSpec,
    FlattenSpec,
    LinearSpec,
    MaxPool2dSpec,
    ReLUSpec,
    SoftmaxSpec,
)
from dlnotes.shapes.trace import (
    LayerRow,
    LayerSpec,  # noqa: F401  (kept here, outside __all__, as before)
    trace_shapes,
)

__all__ = [
    "conv_output_size",
    "Conv2dSpec",
    "MaxPool2dSpec",
    "AvgPool2dSpec",
    "ReLUSpec",
    "FlattenSpec",
    "LinearSpec",
    "DropoutSpec",
    "BatchNorm1dSpec",
    "BatchNorm2dSpec",
    "SoftmaxSpec",
    "LayerRow",
    "trace_shapes",
    "ReceptiveFieldRow",
    "receptive_field",
]

# Kept for old code: the names of the torch.nn classes (not in __all__; they clash with
# torch.nn in a notebook that imports both). New code uses the ...Spec names.
Conv2d = Conv2dSpec
MaxPool2d = MaxPool2dSpec
AvgPool2d = AvgPool2dSpec
ReLU = ReLUSpec
Softmax = SoftmaxSpec
Dropout = DropoutSpec
Flatten = FlattenSpec
Linear = LinearSpec
BatchNorm1d = BatchNorm1dSpec
BatchNorm2d = BatchNorm2dSpec

_MOVED_TO_PLOTTING = ("format_table", "rows_as_records")


def __getattr__(name: str) -> Any:
    """``format_table`` and ``rows_as_records``, which moved to dlnotes.plotting.tables.

    Loaded on first use, so that ``import dlnotes.shapes`` does not import matplotlib.
    """
    if name in _MOVED_TO_PLOTTING:
        from dlnotes.plotting import tables

        return getattr(tables, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
