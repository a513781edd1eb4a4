"""Output sizes of convolutions and a shape tracer for stacks of layers.

``trace_shapes`` follows an input shape through a list of layer descriptions
(in PyTorch's NCHW layout) and counts each layer's trainable parameters the
way ``sum(p.numel() for p in module.parameters())`` does in torch::

    >>> from dlnotes.shapes import Conv2d, Flatten, Linear, MaxPool2d, ReLU, trace_shapes
    >>> rows = trace_shapes((1, 3, 28, 28), [
    ...     Conv2d(3, 32, 5, stride=2, padding=2), ReLU(), MaxPool2d(2), Flatten(), Linear(32 * 7 * 7, 10)])
    >>> [row.output_shape for row in rows]
    [(1, 32, 14, 14), (1, 32, 14, 14), (1, 32, 7, 7), (1, 1568), (1, 10)]
    >>> [row.params for row in rows]
    [2432, 0, 0, 0, 15690]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from dlnotes.checks import check_pair, check_positive_int, check_probability
from dlnotes.layers.sizes import conv_output_size  # its home; re-exported here, where earlier code imports it

__all__ = [
    "conv_output_size",
    "Conv2d",
    "MaxPool2d",
    "AvgPool2d",
    "ReLU",
    "Flatten",
    "Linear",
    "Dropout",
    "BatchNorm1d",
    "BatchNorm2d",
    "Softmax",
    "LayerRow",
    "trace_shapes",
    "format_table",
    "rows_as_records",
]


def _pair_text(pair: tuple[int, int], sep: str = "×") -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}{sep}{pair[1]}"


def _expect_rank(shape: tuple[int, ...], rank: int, layout: str) -> None:
    if len(shape) != rank:
        raise ValueError(
            f"expects a {rank}-D input {layout}, got shape {shape} of rank {len(shape)}"
        )


def _expect_channels(shape: tuple[int, ...], expected: int, what: str) -> None:
    if shape[1] != expected:
        raise ValueError(
            f"expects {what}={expected} at axis 1, got {shape[1]} (input shape {shape})"
        )


@dataclass(frozen=True)
class Conv2d:
    """``torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, bias)``."""

    in_channels: int
    out_channels: int
    kernel_size: int | tuple[int, int]
    stride: int | tuple[int, int] = 1
    padding: int | tuple[int, int] = 0
    bias: bool = True

    def __post_init__(self) -> None:
        check_positive_int(self.in_channels, "in_channels")
        check_positive_int(self.out_channels, "out_channels")
        self._pairs()

    def _pairs(self) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
        return (
            check_pair(self.kernel_size, "kernel_size", 1),
            check_pair(self.stride, "stride", 1),
            check_pair(self.padding, "padding", 0),
        )

    @property
    def name(self) -> str:
        (kh, kw), stride, padding = self._pairs()
        return f"Conv2d({self.in_channels}→{self.out_channels}, {kh}×{kw}, s={_pair_text(stride)}, p={_pair_text(padding)})"

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        _expect_rank(shape, 4, "(N, C, H, W)")
        _expect_channels(shape, self.in_channels, "in_channels")
        kernel, stride, padding = self._pairs()
        h, w = (conv_output_size(shape[2 + a], kernel[a], stride[a], padding[a]) for a in (0, 1))
        return (shape[0], self.out_channels, h, w)

    def num_params(self) -> int:
        (kh, kw), _, _ = self._pairs()
        return self.out_channels * (self.in_channels * kh * kw + int(self.bias))


@dataclass(frozen=True)
class _Pool2d:
    """A pooling window; ``stride=None`` means ``kernel_size``, as in torch."""

    kernel_size: int | tuple[int, int]
    stride: int | tuple[int, int] | None = None

    def __post_init__(self) -> None:
        self._pairs()

    def _pairs(self) -> tuple[tuple[int, int], tuple[int, int]]:
        kernel = check_pair(self.kernel_size, "kernel_size", 1)
        stride = kernel if self.stride is None else check_pair(self.stride, "stride", 1)
        return kernel, stride

    @property
    def name(self) -> str:
        kernel, stride = self._pairs()
        return f"{type(self).__name__}({kernel[0]}×{kernel[1]}, s={_pair_text(stride)})"

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        _expect_rank(shape, 4, "(N, C, H, W)")
        kernel, stride = self._pairs()
        h, w = (conv_output_size(shape[2 + a], kernel[a], stride[a]) for a in (0, 1))
        return (shape[0], shape[1], h, w)

    def num_params(self) -> int:
        return 0


@dataclass(frozen=True)
class MaxPool2d(_Pool2d):
    """``torch.nn.MaxPool2d(kernel_size, stride)``; ``stride=None`` means ``kernel_size``."""


@dataclass(frozen=True)
class AvgPool2d(_Pool2d):
    """``torch.nn.AvgPool2d(kernel_size, stride)``; ``stride=None`` means ``kernel_size``."""


@dataclass(frozen=True)
class _Elementwise:
    """A layer without parameters that keeps the shape of its input."""

    @property
    def name(self) -> str:
        return f"{type(self).__name__}()"

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        return shape

    def num_params(self) -> int:
        return 0


@dataclass(frozen=True)
class ReLU(_Elementwise):
    """``torch.nn.ReLU()``."""


@dataclass(frozen=True)
class Softmax(_Elementwise):
    """``torch.nn.Softmax(dim=1)``: probabilities over the classes; no parameters."""


@dataclass(frozen=True)
class Dropout(_Elementwise):
    """``torch.nn.Dropout(p)``; ``p`` is the probability of dropping a unit."""

    p: float = 0.5

    def __post_init__(self) -> None:
        check_probability(self.p, "p")

    @property
    def name(self) -> str:
        return f"Dropout(p={self.p})"


@dataclass(frozen=True)
class Flatten:
    """``torch.nn.Flatten()``: (N, d1, d2, ...) -> (N, d1 * d2 * ...)."""

    name = "Flatten()"

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        if len(shape) < 2:
            raise ValueError(f"expects an input of rank >= 2 (N, ...), got shape {shape}")
        return (shape[0], math.prod(shape[1:]))

    def num_params(self) -> int:
        return 0


@dataclass(frozen=True)
class Linear:
    """``torch.nn.Linear(in_features, out_features, bias)``."""

    in_features: int
    out_features: int
    bias: bool = True

    def __post_init__(self) -> None:
        check_positive_int(self.in_features, "in_features")
        check_positive_int(self.out_features, "out_features")

    @property
    def name(self) -> str:
        return f"Linear({self.in_features}→{self.out_features})"

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        if len(shape) != 2:
            raise ValueError(
                f"expects a 2-D input (N, in_features), got shape {shape}; add Flatten() before it"
            )
        if shape[1] != self.in_features:
            raise ValueError(
                f"expects in_features={self.in_features}, got {shape[1]} features (input shape {shape})"
            )
        return (shape[0], self.out_features)

    def num_params(self) -> int:
        return self.in_features * self.out_features + (self.out_features if self.bias else 0)


@dataclass(frozen=True)
class _BatchNorm:
    """Batch normalisation over axis 1: 2 * num_features trainable values (gamma, beta)."""

    num_features: int

    def __post_init__(self) -> None:
        check_positive_int(self.num_features, "num_features")

    @property
    def name(self) -> str:
        return f"{type(self).__name__}({self.num_features})"

    def num_params(self) -> int:
        return 2 * self.num_features


@dataclass(frozen=True)
class BatchNorm2d(_BatchNorm):
    """``torch.nn.BatchNorm2d(num_features)`` for (N, C, H, W) inputs."""

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        _expect_rank(shape, 4, "(N, C, H, W)")
        _expect_channels(shape, self.num_features, "num_features")
        return shape


@dataclass(frozen=True)
class BatchNorm1d(_BatchNorm):
    """``torch.nn.BatchNorm1d(num_features)`` for (N, D) or (N, C, L) inputs."""

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        if len(shape) not in (2, 3):
            raise ValueError(
                f"expects a 2-D (N, D) or 3-D (N, C, L) input, got shape {shape} of rank {len(shape)}"
            )
        _expect_channels(shape, self.num_features, "num_features")
        return shape


@dataclass(frozen=True)
class LayerRow:
    """One line of a model summary: the layer, its output shape and parameter count."""

    index: int
    name: str
    output_shape: tuple[int, ...]
    params: int


def trace_shapes(input_shape: Sequence[int], layers: Sequence[object]) -> list[LayerRow]:
    """Follow ``input_shape`` through ``layers`` and return one row per layer.

    Parameters
    ----------
    input_shape : sequence of int
        Shape of the input batch, e.g. (N, C, H, W) = (1, 3, 28, 28).
    layers : sequence
        Layer descriptions from this module (``Conv2d``, ``MaxPool2d``, ...).

    Returns
    -------
    list of LayerRow
        ``row.output_shape`` is the shape after layer ``row.index``;
        ``row.params`` counts weights and biases like torch.

    Raises
    ------
    ValueError
        If a layer cannot take the shape that reaches it; the message names
        the layer index, the layer, and the expected and actual values.
    """
    shape = tuple(check_positive_int(d, "input_shape entries") for d in input_shape)
    if not shape:
        raise ValueError("input_shape must have at least one dimension (the batch), got ()")
    rows = []
    for index, layer in enumerate(layers):
        if not callable(getattr(layer, "output_shape", None)):
            raise TypeError(f"layer {index} must be a layer from dlnotes.shapes, got {layer!r}")
        try:
            shape = tuple(layer.output_shape(shape))
        except ValueError as err:
            raise ValueError(f"layer {index} {layer.name}: {err}") from None
        rows.append(LayerRow(index, layer.name, shape, layer.num_params()))
    return rows


def rows_as_records(rows: Sequence[LayerRow]) -> list[dict[str, object]]:
    """The rows as plain dicts (``layer``, ``output_shape``, ``params``), e.g. for pandas."""
    return [
        {"layer": row.name, "output_shape": row.output_shape, "params": row.params} for row in rows
    ]


def format_table(
    rows: Sequence[LayerRow],
    headers: tuple[str, str, str, str] = ("#", "layer", "output shape", "params"),
) -> str:
    """A Markdown table of the rows plus a line with the total parameter count.

    Examples
    --------
    >>> print(format_table(trace_shapes((2, 4), [Linear(4, 3)])))
    | # | layer | output shape | params |
    |---:|:---|:---|---:|
    | 0 | Linear(4→3) | (2, 3) | 15 |
    |  | total |  | 15 |
    """
    lines = ["| " + " | ".join(headers) + " |", "|---:|:---|:---|---:|"]
    lines += [f"| {row.index} | {row.name} | {row.output_shape} | {row.params:,} |" for row in rows]
    lines.append(f"|  | total |  | {sum(row.params for row in rows):,} |")
    return "\n".join(lines)
