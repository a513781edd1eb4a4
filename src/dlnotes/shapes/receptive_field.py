"""Receptive fields of a stack of convolution and pooling layers, one row per layer.

The receptive field of a unit is the region of the input that can change its
value. Along one spatial axis, a layer with kernel ``k``, stride ``s`` and
padding ``p`` turns the values of its input (field size ``r``, jump ``j``
between neighbouring units, centre ``c`` of the first unit's field) into::

    r_out = r_in + (k - 1) * j_in
    j_out = j_in * s
    c_out = c_in + ((k - 1) / 2 - p) * j_in

starting from the input itself: ``r = 1``, ``j = 1``, ``c = 0``. Positions are
input pixel indices, so a centre of 0.5 lies between pixels 0 and 1, and a
negative first pixel means that part of the field falls on the padding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from dlnotes.checks import check_choice, check_positive_int
from dlnotes.layers.sizes import check_window_fits
from dlnotes.shapes.specs import (
    AvgPool2dSpec,
    BatchNorm2dSpec,
    Conv2dSpec,
    DropoutSpec,
    FlattenSpec,
    MaxPool2dSpec,
    ReLUSpec,
    SoftmaxSpec,
)

__all__ = ["ReceptiveFieldRow", "receptive_field"]

_WINDOWS = (Conv2dSpec, MaxPool2dSpec, AvgPool2dSpec)
_SAME_GRID = (ReLUSpec, DropoutSpec, SoftmaxSpec, BatchNorm2dSpec)  # act on each position alone


class ReceptiveFieldRow(NamedTuple):
    """One layer along one axis: its output length, jump, field size and first field's centre."""

    index: int
    name: str
    output_size: int
    jump: int
    field_size: int
    center: float

    @property
    def first(self) -> int:
        """Input index of the first pixel in the first unit's field (< 0: on the padding)."""
        return round(self.center - (self.field_size - 1) / 2)

    @property
    def last(self) -> int:
        """Input index of the last pixel in the first unit's field."""
        return self.first + self.field_size - 1


def receptive_field(
    layers: Sequence[object], input_size: int, *, axis: int = 0
) -> list[ReceptiveFieldRow]:
    """Follow the receptive field through ``layers`` along one spatial axis.

    Parameters
    ----------
    layers : sequence of layer descriptions from ``dlnotes.shapes``, length L
        ``Conv2dSpec``, ``MaxPool2dSpec``, ``AvgPool2dSpec`` change the field;
        ``ReLUSpec``, ``DropoutSpec``, ``SoftmaxSpec`` and ``BatchNorm2dSpec``
        act on each position alone and keep it. A ``FlattenSpec`` ends the
        spatial part: it and every layer after it are left out, since each
        unit after it can see the whole input.
    input_size : int >= 1
        Length of the input along ``axis`` (H for ``axis=0``, W for ``axis=1``).
    axis : {0, 1}
        Which entry of an (h, w) kernel, stride or padding pair to follow.

    Returns
    -------
    list of ReceptiveFieldRow, one per layer before the first FlattenSpec
        ``output_size`` is the layer's output length, ``jump`` the distance in
        input pixels between neighbouring output units, ``field_size`` the
        length of one unit's field and ``center`` the centre of the first
        unit's field (``first`` and ``last`` give its ends). When a stride
        exceeds its kernel, the field has holes: ``field_size`` is its extent.

    Raises
    ------
    TypeError
        If a layer is not one of the descriptions above.
    ValueError
        If ``input_size`` is not >= 1, a window does not fit, or a layer without
        a spatial grid (``LinearSpec``, ``BatchNorm1dSpec``) comes before any
        ``FlattenSpec``; the message names the layer index.

    Examples
    --------
    >>> from dlnotes.shapes import Conv2dSpec, MaxPool2dSpec, ReLUSpec
    >>> rows = receptive_field([Conv2dSpec(1, 8, 3), ReLUSpec(), MaxPool2dSpec(2)], 28)
    >>> [(row.output_size, row.jump, row.field_size, row.center) for row in rows]
    [(26, 1, 3, 1.0), (26, 1, 3, 1.0), (13, 2, 4, 1.5)]
    >>> rows[-1].first, rows[-1].last
    (0, 3)
    """
    size, axis = _check_receptive_field(layers, input_size, axis)
    field, jump, center = 1, 1, 0.0
    rows = []
    for index, layer in enumerate(layers):
        if isinstance(layer, FlattenSpec):
            break
        if isinstance(layer, _WINDOWS):
            kernel, stride, padding = _window(layer, axis)
            try:
                check_window_fits(size, kernel, stride, padding)
            except ValueError as err:
                raise ValueError(f"layer {index} {layer.name}: {err}") from None
            size = (size + 2 * padding - kernel) // stride + 1
            field, center = (
                field + (kernel - 1) * jump,
                center + ((kernel - 1) / 2 - padding) * jump,
            )
            jump *= stride
        rows.append(ReceptiveFieldRow(index, layer.name, size, jump, field, center))
    return rows


def _window(layer: object, axis: int) -> tuple[int, int, int]:
    """Kernel, stride and padding of a convolution or pooling layer along ``axis``."""
    if isinstance(layer, Conv2dSpec):
        kernel, stride, padding = layer._pairs()
        return kernel[axis], stride[axis], padding[axis]
    kernel, stride = layer._pairs()
    return kernel[axis], stride[axis], 0


def _check_receptive_field(layers: Sequence[object], input_size: int, axis: int) -> tuple[int, int]:
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
        raise TypeError(
            "layers must be a list of layers from dlnotes.shapes, "
            f"got {layers!r} of type {type(layers).__name__}"
        )
    size = check_positive_int(input_size, "input_size")
    axis = check_choice(axis, "axis", (0, 1))
    for index, layer in enumerate(layers):
        if isinstance(layer, FlattenSpec):
            break
        if isinstance(layer, _WINDOWS + _SAME_GRID):
            continue
        if callable(getattr(layer, "output_shape", None)):  # a dlnotes.shapes layer, not spatial
            raise ValueError(
                f"layer {index} {layer.name} has no spatial grid, so it has no receptive field; "
                "pass the layers up to the first Flatten(), or put Flatten() before it"
            )
        allowed = ", ".join(t.__name__ for t in _WINDOWS + _SAME_GRID + (FlattenSpec,))
        raise TypeError(f"layer {index} must be one of {allowed}, got {layer!r}")
    return size, axis
