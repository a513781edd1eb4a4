"""dlnotes.shapes.receptive_field against the input gradient of one output unit in torch."""

import re

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dlnotes.shapes import (
    AvgPool2dSpec,
    BatchNorm1dSpec,
    BatchNorm2dSpec,
    Conv2dSpec,
    DropoutSpec,
    FlattenSpec,
    LinearSpec,
    MaxPool2dSpec,
    ReLUSpec,
    receptive_field,
    trace_shapes,
)
from dlnotes.small_cnn import small_cnn_spec

torch = pytest.importorskip("torch")


def pair(draw, low, high):
    return (draw(st.integers(low, high)), draw(st.integers(low, high)))


@st.composite
def stacks(draw):
    """1 to 4 windows (convolutions with up to k - 1 padding, pools), with element-wise layers."""
    layers = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            kernel = pair(draw, 1, 5)
            padding = tuple(draw(st.integers(0, k - 1)) for k in kernel)
            layers.append(Conv2dSpec(1, 1, kernel, stride=pair(draw, 1, 3), padding=padding))
        else:
            pool = draw(st.sampled_from([MaxPool2dSpec, AvgPool2dSpec]))
            stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
            layers.append(pool(pair(draw, 1, 3), stride=stride))
        if draw(st.booleans()):
            layers.append(draw(st.sampled_from([ReLUSpec(), DropoutSpec(0.3), BatchNorm2dSpec(1)])))
    if draw(st.booleans()):  # the head is left out of the rows
        layers += [FlattenSpec(), LinearSpec(7, 3)]
    return layers, draw(st.integers(0, 6)), draw(st.integers(0, 6))


def torch_stack(layers):
    """The same windows with all-ones kernels and average pooling: every path adds > 0."""
    modules = []
    for layer in layers:
        if isinstance(layer, FlattenSpec):
            break
        if isinstance(layer, Conv2dSpec):
            conv = torch.nn.Conv2d(
                1, 1, layer.kernel_size, layer.stride, layer.padding, bias=False
            ).double()
            torch.nn.init.ones_(conv.weight)
            modules.append(conv)
        elif isinstance(layer, (MaxPool2dSpec, AvgPool2dSpec)):
            modules.append(torch.nn.AvgPool2d(layer.kernel_size, layer.stride))
    return torch.nn.Sequential(*modules)


def input_size_with_a_unit_inside(layers, extra):
    """An input length (one axis) that holds at least one unit's whole field, and that unit."""
    last = receptive_field(layers, 10_000)[-1]  # r, j and the first field do not depend on n
    unit = max(0, -(last.first // last.jump))  # the first unit whose field starts at >= 0
    return last.first + unit * last.jump + last.field_size + extra, unit


def nonzero_extent(grad_along_axis):
    hit = np.flatnonzero(grad_along_axis > 0)
    return int(hit[0]), int(hit[-1])


@given(stacks())
def test_the_field_is_where_one_unit_has_a_nonzero_input_gradient(case):
    layers, extra_h, extra_w = case
    n_h, u_h = input_size_with_a_unit_inside([_axis_layer(la, 0) for la in layers], extra_h)
    n_w, u_w = input_size_with_a_unit_inside([_axis_layer(la, 1) for la in layers], extra_w)
    rows_h = receptive_field(layers, n_h, axis=0)
    rows_w = receptive_field(layers, n_w, axis=1)
    assume(u_h < rows_h[-1].output_size and u_w < rows_w[-1].output_size)

    x = torch.ones(1, 1, n_h, n_w, dtype=torch.float64, requires_grad=True)
    out = torch_stack(layers)(x)
    assert out.shape[2:] == (rows_h[-1].output_size, rows_w[-1].output_size)
    out[0, 0, u_h, u_w].backward()
    grad = x.grad[0, 0].numpy()
    for rows, unit, profile in ((rows_h, u_h, grad.sum(axis=1)), (rows_w, u_w, grad.sum(axis=0))):
        last = rows[-1]
        first, final = nonzero_extent(profile)
        assert final - first + 1 == last.field_size
        assert first == last.first + unit * last.jump
        assert (first + final) / 2 == last.center + unit * last.jump


def _axis_layer(layer, axis):
    """The layer with its window along ``axis`` on both axes (to size one axis alone)."""
    if isinstance(layer, Conv2dSpec):
        pick = [
            np.broadcast_to(v, 2)[axis] for v in (layer.kernel_size, layer.stride, layer.padding)
        ]
        return Conv2dSpec(1, 1, int(pick[0]), stride=int(pick[1]), padding=int(pick[2]))
    if isinstance(layer, (MaxPool2dSpec, AvgPool2dSpec)):
        kernel = int(np.broadcast_to(layer.kernel_size, 2)[axis])
        stride = None if layer.stride is None else int(np.broadcast_to(layer.stride, 2)[axis])
        return type(layer)(kernel, stride=stride)
    return layer


@given(stacks())
def test_output_sizes_agree_with_trace_shapes(case):
    layers, extra_h, _ = case
    n = 40 + extra_h
    spatial = layers[: layers.index(FlattenSpec())] if FlattenSpec() in layers else layers
    try:
        shapes = [row.output_shape for row in trace_shapes((1, 1, n, n), spatial)]
    except ValueError:  # a window does not fit along one axis, or both
        refused = 0
        for axis in (0, 1):
            try:
                receptive_field(layers, n, axis=axis)
            except ValueError as err:
                assert re.search(r"layer \d+ .*larger than the padded input", str(err))
                refused += 1
        assert refused >= 1
        return
    for axis in (0, 1):
        rows = receptive_field(layers, n, axis=axis)
        assert [row.output_size for row in rows] == [shape[2 + axis] for shape in shapes]


def test_the_summary_network_by_hand():
    # r += (k - 1) j, c += ((k - 1) / 2 - p) j, j *= s, worked out on paper
    rows = receptive_field(list(small_cnn_spec().values()), 28)
    expected = [  # output size, jump, field, centre
        (14, 2, 5, 0.0),  # conv1 5x5 s2 p2
        (14, 2, 5, 0.0),  # relu1
        (7, 4, 7, 1.0),  # pool1 2x2 s2
        (4, 8, 15, 1.0),  # conv2 3x3 s2 p1
        (4, 8, 15, 1.0),  # relu2
        (2, 16, 23, 5.0),  # pool2 2x2 s2
    ]
    assert [(r.output_size, r.jump, r.field_size, r.center) for r in rows] == expected
    assert (rows[-1].first, rows[-1].last) == (-6, 16)


def test_vgg16_matches_the_published_field_of_212_pixels():
    # Araujo, Norris and Sim (2019), Distill, "Computing receptive fields of CNNs": 212 at pool5
    layers, c_in = [], 3
    for c_out, repeat in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(repeat):
            layers += [Conv2dSpec(c_in, c_out, 3, padding=1), ReLUSpec()]
            c_in = c_out
        layers.append(MaxPool2dSpec(2))
    last = receptive_field(layers, 224)[-1]
    assert (last.output_size, last.jump, last.field_size) == (7, 32, 212)


def test_layers_after_flatten_are_left_out():
    rows = receptive_field([Conv2dSpec(1, 2, 3), FlattenSpec(), LinearSpec(8, 2)], 4)
    assert [row.name for row in rows] == ["Conv2d(1→2, 3×3, s=1, p=0)"]


@pytest.mark.parametrize(
    "layers, size, kwargs, error, message",
    [
        ([Conv2dSpec(1, 1, 3)], 0, {}, ValueError, r"input_size must be >= 1, got 0"),
        ([Conv2dSpec(1, 1, 3)], 2.5, {}, TypeError, r"input_size must be an integer, got 2.5"),
        ([Conv2dSpec(1, 1, 3)], 9, {"axis": 2}, ValueError, r"axis must be one of 0, 1; got 2"),
        (
            [ReLUSpec(), Conv2dSpec(1, 1, 9)],
            8,
            {},
            ValueError,
            r"layer 1 Conv2d.*kernel=9 is larger than the padded input n \+ 2\*padding = 8",
        ),
        (
            [Conv2dSpec(1, 1, 3), LinearSpec(4, 2)],
            9,
            {},
            ValueError,
            r"layer 1 Linear\(4→2\) has no spatial grid.*up to the first Flatten\(\)",
        ),
        ([BatchNorm1dSpec(3)], 9, {}, ValueError, r"layer 0 BatchNorm1d\(3\) has no spatial grid"),
        (
            [Conv2dSpec(1, 1, 3), "pool"],
            9,
            {},
            TypeError,
            r"layer 1 must be one of Conv2dSpec, MaxPool2dSpec, .*FlattenSpec, got 'pool'",
        ),
        (Conv2dSpec(1, 1, 3), 9, {}, TypeError, r"layers must be a list of layers .*Conv2dSpec"),
    ],
)
def test_bad_input_is_refused_with_the_expected_and_actual_value(
    layers, size, kwargs, error, message
):
    with pytest.raises(error, match=message):
        receptive_field(layers, size, **kwargs)


def test_a_torch_module_is_not_a_layer_description():
    with pytest.raises(TypeError, match=r"layer 0 must be one of .*got Conv2d\(1, 1"):
        receptive_field([torch.nn.Conv2d(1, 1, 3)], 9)
