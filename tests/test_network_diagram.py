"""dlnotes.network_diagram.draw_neuron: what it draws and what it rejects."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes
from matplotlib.patches import Circle

from dlnotes.network_diagram import MAX_INPUTS, draw_neuron


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
    with pytest.raises(TypeError, match=r"show_loss must be a bool, got 'yes' of type str"):
        draw_neuron(1, show_loss="yes")
