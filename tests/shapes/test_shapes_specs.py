"""dlnotes.shapes.specs: each description gives torch's output shape and parameter count."""

import dataclasses

import numpy as np
import pytest

import dlnotes.shapes
from dlnotes.shapes import (
    AvgPool2dSpec,
    BatchNorm1dSpec,
    BatchNorm2dSpec,
    Conv2dSpec,
    DropoutSpec,
    FlattenSpec,
    LayerRow,
    LinearSpec,
    MaxPool2dSpec,
    ReLUSpec,
    SoftmaxSpec,
    trace_shapes,
)

CNN = [
    Conv2dSpec(3, 32, 5, stride=2, padding=2),
    BatchNorm2dSpec(32),
    ReLUSpec(),
    MaxPool2dSpec(2),
    Conv2dSpec(32, 64, (3, 2), stride=(1, 2), padding=(1, 0)),
    ReLUSpec(),
    AvgPool2dSpec(3, stride=1),
    FlattenSpec(),
    DropoutSpec(0.5),
    LinearSpec(64 * 5 * 1, 100),
    BatchNorm1dSpec(100),
    ReLUSpec(),
    LinearSpec(100, 10, bias=False),
    SoftmaxSpec(),
]


def torch_name(layer):
    """Conv2dSpec describes torch.nn.Conv2d."""
    return type(layer).__name__.removesuffix("Spec")


def to_torch(layer):
    nn = pytest.importorskip("torch").nn
    if isinstance(layer, Conv2dSpec | LinearSpec):
        fields = dataclasses.asdict(layer)
        return getattr(nn, torch_name(layer))(**fields)
    if isinstance(layer, MaxPool2dSpec | AvgPool2dSpec):
        return getattr(nn, torch_name(layer))(layer.kernel_size, layer.stride)
    if isinstance(layer, BatchNorm1dSpec | BatchNorm2dSpec):
        return getattr(nn, torch_name(layer))(layer.num_features)
    if isinstance(layer, DropoutSpec):
        return nn.Dropout(layer.p)
    return {"ReLU": nn.ReLU(), "Flatten": nn.Flatten(), "Softmax": nn.Softmax(dim=1)}[
        torch_name(layer)
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
    assert dlnotes.shapes.rows_as_records(rows)[1] == {
        "layer": "BatchNorm2d(32)",
        "output_shape": (1, 32, 14, 14),
        "params": 64,
    }


def test_bad_layer_arguments_and_inputs_are_rejected():
    with pytest.raises(ValueError, match=r"stride must be >= 1, got 0"):
        Conv2dSpec(3, 8, 3, stride=0)
    with pytest.raises(ValueError, match=r"padding must be >= 0, got -1"):
        Conv2dSpec(3, 8, 3, padding=(0, -1))
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\), got 1.0"):
        DropoutSpec(1.0)
    with pytest.raises(TypeError, match=r"in_features must be an integer, got 2.5"):
        LinearSpec(2.5, 3)
    with pytest.raises(TypeError, match="layer 0 must be a layer from dlnotes.shapes"):
        trace_shapes((1, 3), ["conv"])
    with pytest.raises(ValueError, match=r"input_shape entries must be >= 1, got 0"):
        trace_shapes((0, 3), [ReLUSpec()])


def test_layers_are_frozen():
    layer = Conv2dSpec(3, 8, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        layer.stride = 2
    assert np.prod(trace_shapes((4, 3, 8, 8), [layer])[0].output_shape) == 4 * 8 * 6 * 6
