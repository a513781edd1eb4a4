"""dlnotes.plotting.diagrams: the neuron and the layer diagrams, what they draw and reject."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes
from matplotlib.patches import Circle

from dlnotes.plotting.diagrams import MAX_INPUTS, draw_layers, draw_neuron


def texts(ax):
    return [t.get_text() for t in ax.texts]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_one_input_has_the_seed_labels():
    ax = draw_neuron()
    assert isinstance(ax, Axes)
    labels = texts(ax)
    for label in ("$x$", "$w$", "$b$", "$z$", "$y$", "$1$", "输入层", "神经元", "损失函数"):
        assert label in labels, f"missing label {label!r} in {labels}"
    # x, the bias input 1, the sum node, z and y
    assert sum(isinstance(p, Circle) for p in ax.patches) == 5


def test_several_inputs_are_numbered():
    ax = draw_neuron(3)
    labels = texts(ax)
    assert [f"$x_{i}$" for i in (1, 2, 3)] == [t for t in labels if t.startswith("$x")]
    assert [f"$w_{i}$" for i in (1, 2, 3)] == [t for t in labels if t.startswith("$w")]
    assert sum(isinstance(p, Circle) for p in ax.patches) == 3 + 4


def test_loss_can_be_left_out():
    labels = texts(draw_neuron(2, show_loss=False))
    assert "损失函数" not in labels and "$y$" not in labels and "$z$" in labels


def test_draws_into_a_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    assert draw_neuron(1, ax=right) is right
    assert not left.texts


@pytest.mark.parametrize("bad", [0, -1, MAX_INPUTS + 1])
def test_rejects_bad_input_counts(bad):
    with pytest.raises(
        ValueError, match=rf"n_inputs must be (>= 1|<= {MAX_INPUTS} to stay readable), got {bad}"
    ):
        draw_neuron(bad)


@pytest.mark.parametrize("bad", [1.0, "2", True])
def test_rejects_non_integer_counts(bad):
    with pytest.raises(TypeError, match=r"n_inputs must be an integer, got"):
        draw_neuron(bad)


def test_rejects_bad_ax_and_flag():
    with pytest.raises(TypeError, match=r"ax must be a matplotlib Axes or None, got Figure"):
        draw_neuron(1, ax=plt.figure())
    with pytest.raises(TypeError, match=r"show_loss must be True or False, got 'yes' of type str"):
        draw_neuron(1, show_loss="yes")


def test_the_old_module_re_exports_the_same_objects():
    import dlnotes.network_diagram
    import dlnotes.plotting

    assert dlnotes.network_diagram.draw_neuron is draw_neuron is dlnotes.plotting.draw_neuron
    assert dlnotes.network_diagram.MAX_INPUTS is MAX_INPUTS


# ---------------------------------------------------------------- draw_layers

NAMES = ["输入层 $X$", "隐藏层 $A_1$", "输出层 $Z_2$"]
COLORS = ["#dddddd", "#9ecae1", "#fdae6b"]


def test_layers_draw_one_circle_per_neuron_and_every_edge():
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    assert draw_layers(ax, [3, 5, 2], NAMES, COLORS) is ax
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(circles) == 3 + 5 + 2
    assert len(ax.lines) == 3 * 5 + 5 * 2  # fully connected: every pair of neighbours
    assert texts(ax) == NAMES
    # columns gap = 3 apart, each column centred on y = 0, rows 1 apart
    centres = sorted({c.center for c in circles})
    assert (0.0, 1.0) in centres and (3.0, 2.0) in centres and (6.0, -0.5) in centres
    fill = {c.center[0]: matplotlib.colors.to_hex(c.get_facecolor()) for c in circles}
    assert fill == {0.0: "#dddddd", 3.0: "#9ecae1", 6.0: "#fdae6b"}
    assert not ax.axison


def test_layers_gap_sets_the_column_spacing():
    _, ax = plt.subplots()
    draw_layers(ax, [1, 1], ["a", "b"], ["red", "blue"], gap=5.0)
    assert sorted(p.center[0] for p in ax.patches) == [0.0, 5.0]
    assert ax.get_xlim() == (-1.2, 6.2)


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        (("ax", [3], ["a"], ["red"]), {}, TypeError, "ax must be a matplotlib Axes, got str"),
        ((None, [3, 2], ["a"], ["red", "blue"]), {}, ValueError, r"got lengths 2, 1 and 2"),
        ((None, [], [], []), {}, ValueError, r"at least one\), got lengths 0, 0 and 0"),
        ((None, [3, 0], ["a", "b"], ["red", "blue"]), {}, ValueError, r"sizes\[1\] must be >= 1"),
        ((None, [3], ["a"], ["nope"]), {}, ValueError, r"colors\[0\] must be a matplotlib colour"),
        ((None, [3], ["a"], ["red"]), {"gap": 0}, ValueError, r"gap must be > 0, got 0.0"),
        ((None, 3, ["a"], ["red"]), {}, TypeError, r"sizes must be a list, got 3 of type int"),
    ],
)
def test_layers_reject_bad_input(args, kwargs, error, message):
    _, ax = plt.subplots()
    args = (ax if args[0] is None else args[0], *args[1:])
    with pytest.raises(error, match=message):
        draw_layers(*args, **kwargs)
