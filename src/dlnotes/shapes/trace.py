"""Follow an input shape through a stack of layer descriptions, one row per layer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from dlnotes.checks import check_positive_int

__all__ = ["LayerRow", "LayerSpec", "trace_shapes"]


@dataclass(frozen=True)
class LayerRow:
    """One line of a model summary: the layer, its output shape and parameter count."""

    index: int
    name: str
    output_shape: tuple[int, ...]
    params: int


class LayerSpec(Protocol):
    """What trace_shapes needs of a layer description: a name, its output shape, its parameters."""

    name: str

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]: ...

    def num_params(self) -> int: ...


def trace_shapes(input_shape: Sequence[int], layers: Sequence[LayerSpec]) -> list[LayerRow]:
    """Follow ``input_shape`` through ``layers`` and return one row per layer.

    Parameters
    ----------
    input_shape : tuple of int, e.g. (N, C, H, W) = (1, 3, 28, 28)
        Shape of the input batch.
    layers : sequence of layer descriptions, length L
        ``Conv2dSpec``, ``MaxPool2dSpec``, ... from this module.

    Returns
    -------
    list of LayerRow, length L
        ``row.output_shape`` is the shape after layer ``row.index``;
        ``row.params`` counts weights and biases like torch.

    Raises
    ------
    ValueError
        If a layer cannot take the shape that reaches it; the message names
        the layer index, the layer, and the expected and actual values.
    """
    shape = _check_trace(input_shape, layers)
    rows = []
    for index, layer in enumerate(layers):
        try:
            shape = tuple(layer.output_shape(shape))
        except ValueError as err:
            raise ValueError(f"layer {index} {layer.name}: {err}") from None
        rows.append(LayerRow(index, layer.name, shape, layer.num_params()))
    return rows


def _check_trace(input_shape: Sequence[int], layers: Sequence[LayerSpec]) -> tuple[int, ...]:
    if isinstance(input_shape, str) or not isinstance(input_shape, Sequence):
        raise TypeError(
            "input_shape must be a tuple of ints, the shape of the input batch such as "
            f"(N, C, H, W) = (1, 3, 28, 28), got {input_shape!r} "
            f"of type {type(input_shape).__name__}"
        )
    if not input_shape:
        raise ValueError("input_shape must have at least one dimension (the batch), got ()")
    for index, layer in enumerate(layers):
        if not callable(getattr(layer, "output_shape", None)):
            raise TypeError(f"layer {index} must be a layer from dlnotes.shapes, got {layer!r}")
    return tuple(check_positive_int(d, "input_shape entries") for d in input_shape)
