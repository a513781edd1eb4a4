"""dlnotes.shapes: conv_output_size and the layer-stack tracer, checked against PyTorch."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.shapes import (
    AvgPool2d,
    BatchNorm1d,
    BatchNorm2d,
    Conv2d,
    Dropout,
    Flatten,
    LayerRow,
    Linear,
    MaxPool2d,
    ReLU,
    Softmax,
    conv_output_size,
    format_table,
    rows_as_records,
    trace_shapes,
)


@pytest.mark.parametrize(
    "args, expected",
    [
        ((28, 5, 2, 2), 14),
        ((32, 5, 1, 0), 28),
        ((7, 2, 2, 0), 3),
        ((5, 5, 1, 0), 1),
        ((1, 3, 1, 1), 1),
        ((10, 1, 3, 0), 4),
    ],
)
def test_conv_output_size_examples(args, expected):
    assert conv_output_size(*args) == expected


@given(
    n=st.integers(1, 12),
    kernel=st.integers(1, 6),
    stride=st.integers(1, 4),
    padding=st.integers(0, 3),
)
def test_conv_output_size_matches_torch(n, kernel, stride, padding):
    torch = pytest.importorskip("torch")
    x, w = torch.zeros(1, 1, n, 1), torch.zeros(1, 1, kernel, 1)
    if n + 2 * padding < kernel:
        with pytest.raises(RuntimeError):
            torch.nn.functional.conv2d(x, w, stride=(stride, 1), padding=(padding, 0))
        with pytest.raises(ValueError, match=f"kernel={kernel} is larger than the padded input"):
            conv_output_size(n, kernel, stride, padding)
    else:
        out = torch.nn.functional.conv2d(x, w, stride=(stride, 1), padding=(padding, 0))
        assert conv_output_size(n, kernel, stride, padding) == out.shape[2]


def test_conv_output_size_error_names_every_argument():
    with pytest.raises(ValueError) as info:
        conv_output_size(3, 8, stride=2, padding=1)
    message = str(info.value)
    for part in ("kernel=8", "n + 2*padding = 3 + 2*1 = 5", "stride=2", "would be -1 < 1"):
        assert part in message


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(stride=0), ValueError, r"stride must be >= 1, got 0"),
        (dict(padding=-1), ValueError, r"padding must be >= 0, got -1"),
        (dict(kernel=0), ValueError, r"kernel must be >= 1, got 0"),
        (dict(n=0), ValueError, r"n must be >= 1, got 0"),
        (dict(n=28.0), TypeError, r"n must be an integer, got 28.0"),
        (dict(stride=True), TypeError, r"stride must be an integer, got True"),
    ],
)
def test_conv_output_size_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        conv_output_size(**(dict(n=28, kernel=5, stride=1, padding=0) | kwargs))


CNN = [
    Conv2d(3, 32, 5, stride=2, padding=2),
    BatchNorm2d(32),
    ReLU(),
    MaxPool2d(2),
    Conv2d(32, 64, (3, 2), stride=(1, 2), padding=(1, 0)),
    ReLU(),
    AvgPool2d(3, stride=1),
    Flatten(),
    Dropout(0.5),
    Linear(64 * 5 * 1, 100),
    BatchNorm1d(100),
    ReLU(),
    Linear(100, 10, bias=False),
    Softmax(),
]


def to_torch(layer):
    nn = pytest.importorskip("torch").nn
    if isinstance(layer, Conv2d | Linear):
        fields = dataclasses.asdict(layer)
        return getattr(nn, type(layer).__name__)(**fields)
    if isinstance(layer, MaxPool2d | AvgPool2d):
        return getattr(nn, type(layer).__name__)(layer.kernel_size, layer.stride)
    if isinstance(layer, BatchNorm1d | BatchNorm2d):
        return getattr(nn, type(layer).__name__)(layer.num_features)
    if isinstance(layer, Dropout):
        return nn.Dropout(layer.p)
    return {"ReLU": nn.ReLU(), "Flatten": nn.Flatten(), "Softmax": nn.Softmax(dim=1)}[
        type(layer).__name__
    ]


def test_trace_matches_torch_shapes_and_parameter_counts():
    torch = pytest.importorskip("torch")
    rows = trace_shapes((2, 3, 28, 28), CNN)
    x = torch.zeros(2, 3, 28, 28)
    assert len(rows) == len(CNN)
    for row, layer in zip(rows, CNN):
        module = to_torch(layer).eval()
        x = module(x)
        assert row.output_shape == tuple(x.shape), row.name
        assert row.params == sum(p.numel() for p in module.parameters()), row.name
    assert rows[-1].output_shape == (2, 10)


def test_rows_names_and_table():
    rows = trace_shapes((1, 3, 28, 28), CNN[:5])
    assert [row.name for row in rows] == [
        "Conv2d(3→32, 5×5, s=2, p=2)",
        "BatchNorm2d(32)",
        "ReLU()",
        "MaxPool2d(2×2, s=2)",
        "Conv2d(32→64, 3×2, s=1×2, p=1×0)",
    ]
    assert rows[0] == LayerRow(0, "Conv2d(3→32, 5×5, s=2, p=2)", (1, 32, 14, 14), 32 * 3 * 25 + 32)
    table = format_table(rows).splitlines()
    assert table[0] == "| # | layer | output shape | params |"
    assert table[2] == "| 0 | Conv2d(3→32, 5×5, s=2, p=2) | (1, 32, 14, 14) | 2,432 |"
    assert table[-1] == f"|  | total |  | {2432 + 64 + 64 * 32 * 6 + 64:,} |"
    assert rows_as_records(rows)[1] == {
        "layer": "BatchNorm2d(32)",
        "output_shape": (1, 32, 14, 14),
        "params": 64,
    }


@pytest.mark.parametrize(
    "layers, message",
    [
        (
            [Conv2d(3, 8, 3), Flatten(), Linear(100, 10)],
            r"layer 2 Linear\(100→10\): expects in_features=100, got 5408",
        ),
        (
            [Conv2d(1, 8, 3)],
            r"layer 0 Conv2d\(1→8, 3×3, s=1, p=0\): expects in_channels=1 at axis 1, got 3",
        ),
        (
            [Conv2d(3, 8, 3), BatchNorm2d(4)],
            r"layer 1 BatchNorm2d\(4\): expects num_features=4 at axis 1, got 8",
        ),
        (
            [Flatten(), BatchNorm1d(7)],
            r"layer 1 BatchNorm1d\(7\): expects num_features=7 at axis 1, got 2352",
        ),
        (
            [Conv2d(3, 8, 29)],
            r"layer 0 Conv2d.*kernel=29 is larger than the padded input n \+ 2\*padding = 28",
        ),
        (
            [MaxPool2d(2), MaxPool2d(2), MaxPool2d(8)],
            r"layer 2 MaxPool2d\(8×8, s=8\): kernel=8 is larger .* = 7",
        ),
        (
            [Linear(2352, 10)],
            r"layer 0 Linear\(2352→10\): expects a 2-D input \(N, in_features\), got shape \(1, 3, 28, 28\)",
        ),
        (
            [Flatten(), Conv2d(3, 8, 3)],
            r"layer 1 Conv2d.*expects a 4-D input \(N, C, H, W\), got shape \(1, 2352\)",
        ),
    ],
)
def test_incompatible_shapes_name_the_layer_and_the_values(layers, message):
    with pytest.raises(ValueError, match=message):
        trace_shapes((1, 3, 28, 28), layers)


def test_bad_layer_arguments_and_inputs_are_rejected():
    with pytest.raises(ValueError, match=r"stride must be >= 1, got 0"):
        Conv2d(3, 8, 3, stride=0)
    with pytest.raises(ValueError, match=r"padding must be >= 0, got -1"):
        Conv2d(3, 8, 3, padding=(0, -1))
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\), got 1.0"):
        Dropout(1.0)
    with pytest.raises(TypeError, match=r"in_features must be an integer, got 2.5"):
        Linear(2.5, 3)
    with pytest.raises(TypeError, match="layer 0 must be a layer from dlnotes.shapes"):
        trace_shapes((1, 3), ["conv"])
    with pytest.raises(ValueError, match=r"input_shape entries must be >= 1, got 0"):
        trace_shapes((0, 3), [ReLU()])


def test_layers_are_frozen():
    layer = Conv2d(3, 8, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        layer.stride = 2
    assert np.prod(trace_shapes((4, 3, 8, 8), [layer])[0].output_shape) == 4 * 8 * 6 * 6
