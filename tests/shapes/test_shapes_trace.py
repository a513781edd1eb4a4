"""dlnotes.shapes.trace: trace_shapes names the layer and the values when shapes do not fit."""

import pytest

from dlnotes.shapes import (
    BatchNorm1dSpec,
    BatchNorm2dSpec,
    Conv2dSpec,
    FlattenSpec,
    LinearSpec,
    MaxPool2dSpec,
    ReLUSpec,
    trace_shapes,
)


@pytest.mark.parametrize(
    "layers, message",
    [
        (
            [Conv2dSpec(3, 8, 3), FlattenSpec(), LinearSpec(100, 10)],
            r"layer 2 Linear\(100→10\): expects in_features=100, got 5408",
        ),
        (
            [Conv2dSpec(1, 8, 3)],
            r"layer 0 Conv2d\(1→8, 3×3, s=1, p=0\): expects in_channels=1 at axis 1, got 3",
        ),
        (
            [Conv2dSpec(3, 8, 3), BatchNorm2dSpec(4)],
            r"layer 1 BatchNorm2d\(4\): expects num_features=4 at axis 1, got 8",
        ),
        (
            [FlattenSpec(), BatchNorm1dSpec(7)],
            r"layer 1 BatchNorm1d\(7\): expects num_features=7 at axis 1, got 2352",
        ),
        (
            [Conv2dSpec(3, 8, 29)],
            r"layer 0 Conv2d.*kernel=29 is larger than the padded input n \+ 2\*padding = 28",
        ),
        (
            [MaxPool2dSpec(2), MaxPool2dSpec(2), MaxPool2dSpec(8)],
            r"layer 2 MaxPool2d\(8×8, s=8\): kernel=8 is larger .* = 7",
        ),
        (
            [LinearSpec(2352, 10)],
            r"layer 0 Linear\(2352→10\): expects a 2-D input \(N, in_features\), "
            r"got shape \(1, 3, 28, 28\)",
        ),
        (
            [FlattenSpec(), Conv2dSpec(3, 8, 3)],
            r"layer 1 Conv2d.*expects a 4-D input \(N, C, H, W\), got shape \(1, 2352\)",
        ),
    ],
)
def test_incompatible_shapes_name_the_layer_and_the_values(layers, message):
    with pytest.raises(ValueError, match=message):
        trace_shapes((1, 3, 28, 28), layers)


def test_an_int_instead_of_a_shape_names_the_expected_tuple():
    # the old code failed inside Python: 'int' object is not iterable
    with pytest.raises(TypeError, match=r"input_shape must be a tuple of ints, .*\(N, C, H, W\)"):
        trace_shapes(28, [ReLUSpec()])
    with pytest.raises(TypeError, match=r"got '28' of type str"):
        trace_shapes("28", [ReLUSpec()])
    with pytest.raises(ValueError, match=r"input_shape must have at least one dimension"):
        trace_shapes((), [ReLUSpec()])
