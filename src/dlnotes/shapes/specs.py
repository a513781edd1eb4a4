"""Descriptions of ``torch.nn`` layers: hyper-parameters, output shape, parameter count.

``Conv2dSpec`` stands for ``torch.nn.Conv2d``, ``LinearSpec`` for ``torch.nn.Linear``
and so on. Each checks its arguments when built, gives the ``output_shape`` of an
input shape (NCHW) and counts its trainable values with ``num_params``.

>>> Conv2dSpec(3, 32, 5, stride=2, padding=2).output_shape((1, 3, 28, 28))
(1, 32, 14, 14)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dlnotes.checks import check_pair, check_positive_int, check_probability
from dlnotes.layers.sizes import conv_output_size

__all__ = [
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
]


def _pair_text(pair: tuple[int, int], sep: str = "×") -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}{sep}{pair[1]}"


def _torch_name(layer: object) -> str:
    """The torch.nn class a description stands for: ``Conv2dSpec`` -> ``"Conv2d"``."""
    return type(layer).__name__.removesuffix("Spec")


def _check_input_rank(shape: tuple[int, ...], rank: int, layout: str) -> None:
    if len(shape) != rank:
        raise ValueError(
            f"expects a {rank}-D input {layout}, got shape {shape} of rank {len(shape)}"
        )


def _check_channels(shape: tuple[int, ...], expected: int, what: str) -> None:
    if shape[1] != expected:
        raise ValueError(
            f"expects {what}={expected} at axis 1, got {shape[1]} (input shape {shape})"
        )


@dataclass(frozen=True)
class Conv2dSpec:
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
        channels = f"{self.in_channels}→{self.out_channels}"
        return f"Conv2d({channels}, {kh}×{kw}, s={_pair_text(stride)}, p={_pair_text(padding)})"

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        _check_input_rank(shape, 4, "(N, C, H, W)")
        _check_channels(shape, self.in_channels, "in_channels")
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
        return f"{_torch_name(self)}({kernel[0]}×{kernel[1]}, s={_pair_text(stride)})"

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        _check_input_rank(shape, 4, "(N, C, H, W)")
        kernel, stride = self._pairs()
        h, w = (conv_output_size(shape[2 + a], kernel[a], stride[a]) for a in (0, 1))
        return (shape[0], shape[1], h, w)

    def num_params(self) -> int:
        return 0


@dataclass(frozen=True)
class MaxPool2dSpec(_Pool2d):
    """``torch.nn.MaxPool2d(kernel_size, stride)``; ``stride=None`` means ``kernel_size``."""


@dataclass(frozen=True)
class AvgPool2dSpec(_Pool2d):
    """``torch.nn.AvgPool2d(kernel_size, stride)``; ``stride=None`` means ``kernel_size``."""


@dataclass(frozen=True)
class _Elementwise:
    """A layer without parameters that keeps the shape of its input."""

    @property
    def name(self) -> str:
        return f"{_torch_name(self)}()"

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        return shape

    def num_params(self) -> int:
        return 0


@dataclass(frozen=True)
class ReLUSpec(_Elementwise):
    """``torch.nn.ReLU()``."""


@dataclass(frozen=True)
class SoftmaxSpec(_Elementwise):
    """``torch.nn.Softmax(dim=1)``: probabilities over the classes; no parameters."""


@dataclass(frozen=True)
class DropoutSpec(_Elementwise):
    """``torch.nn.Dropout(p)``; ``p`` is the probability of dropping a unit."""

    p: float = 0.5

    def __post_init__(self) -> None:
        check_probability(self.p, "p")

    @property
    def name(self) -> str:
        return f"Dropout(p={self.p})"


@dataclass(frozen=True)
class FlattenSpec:
    """``torch.nn.Flatten()``: (N, d1, d2, ...) -> (N, d1 * d2 * ...)."""

    name = "Flatten()"

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        if len(shape) < 2:
            raise ValueError(f"expects an input of rank >= 2 (N, ...), got shape {shape}")
        return (shape[0], math.prod(shape[1:]))

    def num_params(self) -> int:
        return 0


@dataclass(frozen=True)
class LinearSpec:
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
                f"expects in_features={self.in_features}, "
                f"got {shape[1]} features (input shape {shape})"
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
        return f"{_torch_name(self)}({self.num_features})"

    def num_params(self) -> int:
        return 2 * self.num_features


@dataclass(frozen=True)
class BatchNorm2dSpec(_BatchNorm):
    """``torch.nn.BatchNorm2d(num_features)`` for (N, C, H, W) inputs."""

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        _check_input_rank(shape, 4, "(N, C, H, W)")
        _check_channels(shape, self.num_features, "num_features")
        return shape


@dataclass(frozen=True)
class BatchNorm1dSpec(_BatchNorm):
    """``torch.nn.BatchNorm1d(num_features)`` for (N, D) or (N, C, L) inputs."""

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        if len(shape) not in (2, 3):
            raise ValueError(
                "expects a 2-D (N, D) or 3-D (N, C, L) input, "
                f"got shape {shape} of rank {len(shape)}"
            )
        _check_channels(shape, self.num_features, "num_features")
        return shape
