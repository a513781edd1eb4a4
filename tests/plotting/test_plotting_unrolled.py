"""dlnotes.plotting.unrolled: the unrolled RNN, what it draws and what it rejects."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from dlnotes.plotting.unrolled import MAX_STEPS, draw_unrolled_rnn


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(ax):
    return [t.get_text() for t in ax.texts]


@pytest.mark.parametrize("steps", [1, 3, MAX_STEPS])
def test_one_cell_with_input_and_state_per_step_plus_the_folded_cell(steps):
    ax = draw_unrolled_rnn(steps)
    assert isinstance(ax, Axes)
    labels = texts(ax)
    assert [f"$x_{t}$" for t in range(1, steps + 1)] == [s for s in labels if s.startswith("$x_")]
    assert [f"$h_{t}$" for t in range(steps + 1)] == [s for s in labels if s.startswith("$h_")]
    assert sum(isinstance(p, FancyBboxPatch) for p in ax.patches) == 3 * (steps + 1)
    assert labels.count("$W_{hh}$") == 1 + (steps - 1)  # the loop and each step-to-step edge
    assert labels.count("$W_{ih}$") == steps and "展开" in labels


def test_gradient_path_can_be_left_out():
    dashed = [
        p
        for p in draw_unrolled_rnn(4).patches
        if isinstance(p, FancyArrowPatch) and p.get_linestyle() == "--"
    ]
    assert len(dashed) == 3  # one per edge h_{t-1} -> h_t
    ax = draw_unrolled_rnn(4, show_gradient=False)
    assert not any(isinstance(p, FancyArrowPatch) and p.get_linestyle() == "--" for p in ax.patches)
    assert not any("梯度" in s or "损失" in s for s in texts(ax))


def test_draws_into_a_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    assert draw_unrolled_rnn(2, ax=right) is right
    assert not left.texts


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"steps": 0}, ValueError, r"steps must be >= 1, got 0"),
        ({"steps": MAX_STEPS + 1}, ValueError, rf"steps must be <= {MAX_STEPS} to stay readable"),
        ({"steps": 2.0}, TypeError, r"steps must be an integer"),
        ({"ax": "left"}, TypeError, r"ax must be a matplotlib Axes or None, got str"),
        ({"show_gradient": 1}, TypeError, r"show_gradient must be True or False"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, error, message):
    with pytest.raises(error, match=message):
        draw_unrolled_rnn(**kwargs)
