"""dlnotes.small_cnn.spec: the description against torch and the floor formula."""

import pytest

from dlnotes.shapes import trace_shapes
from dlnotes.small_cnn import (
    ORDERS,
    build_small_cnn,
    small_cnn_spec,
)

torch = pytest.importorskip("torch")


def torch_shapes(model, x):
    """Output shape and parameter count of every named child, read from torch itself."""
    seen = {}
    hooks = [
        module.register_forward_hook(
            lambda mod, inp, out, name=name: seen.__setitem__(name, tuple(out.shape))
        )
        for name, module in model.named_children()
    ]
    with torch.no_grad():
        model(x)
    for hook in hooks:
        hook.remove()
    params = {
        name: sum(p.numel() for p in module.parameters()) for name, module in model.named_children()
    }
    return seen, params


@pytest.mark.parametrize("order", ORDERS)
def test_spec_shapes_and_parameter_counts_match_torch(order):
    spec = small_cnn_spec(order=order)
    rows = trace_shapes((10, 3, 28, 28), list(spec.values()))
    model = build_small_cnn(order=order)
    assert [name for name, _ in model.named_children()] == list(spec)
    shapes, params = torch_shapes(model.eval(), torch.zeros(10, 3, 28, 28))
    for name, row in zip(spec, rows):
        assert row.output_shape == shapes[name], name
        assert row.params == params[name], name


def test_shapes_follow_the_floor_formula_by_hand():
    # floor((H + 2P - K) / S) + 1: conv1 (28 + 4 - 5) // 2 + 1 = 14, pool 14 // 2 = 7,
    # conv2 (7 + 2 - 3) // 2 + 1 = 4, pool 4 // 2 = 2, flatten 64 * 2 * 2 = 256.
    rows = trace_shapes((10, 3, 28, 28), list(small_cnn_spec().values()))
    by_name = dict(zip(small_cnn_spec(), (row.output_shape for row in rows)))
    assert by_name["conv1"] == (10, 32, 14, 14) and by_name["pool1"] == (10, 32, 7, 7)
    assert by_name["conv2"] == (10, 64, 4, 4) and by_name["pool2"] == (10, 64, 2, 2)
    assert by_name["flatten"] == (10, 256) and by_name["fc2"] == (10, 10)
    # fc1 has 256 * 128 weights and 128 biases
    assert rows[list(small_cnn_spec()).index("fc1")].params == 256 * 128 + 128


def test_image_size_sets_the_width_of_fc1():
    # 64: conv1 32, pool 16, conv2 8, pool 4 -> 64 * 4 * 4 = 1024 features
    assert small_cnn_spec(image_size=64)["fc1"].in_features == 1024
    model = build_small_cnn(in_channels=1, num_classes=4, image_size=64)
    assert model(torch.zeros(2, 1, 64, 64)).shape == (2, 4)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"order": "bn-dropout"},
            ValueError,
            r"order must be one of 'relu-dropout-bn', 'bn-relu-dropout'; got 'bn-dropout'",
        ),
        (
            {"image_size": 10},
            ValueError,
            r"image_size must be at least 11 so that a 1×1 map reaches fc1, got 10",
        ),
        ({"num_classes": 0}, ValueError, r"num_classes must be >= 1, got 0"),
        ({"in_channels": 3.0}, TypeError, r"in_channels must be an integer, got 3\.0"),
        ({"dropout": 1.0}, ValueError, r"p must lie in \[0, 1\), got 1\.0"),
    ],
)
def test_spec_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        small_cnn_spec(**kwargs)
