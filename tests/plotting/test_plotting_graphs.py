"""dlnotes.plotting.graphs: what a computational graph draws, both ways, and what it refuses."""

import matplotlib
import pytest
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from dlnotes.plotting import GraphNode, draw_computational_graph
from dlnotes.plotting.graphs import BACKWARD_COLOR, FORWARD_COLOR, NODE_KINDS


def chain():
    """x -> z -> L, with a parameter w feeding z and a label y feeding L."""
    nodes = {
        "x": GraphNode("$x$", (0, 0), "input", "2.0"),
        "w": GraphNode("$w$", (1, 1), "param", "-0.5", "dw", "above"),
        "z": GraphNode("$z$", (2, 0), "value", "-0.7", "dz"),
        "y": GraphNode("$y$", (3, 1), "input", "0.5", "", "above"),
        "L": GraphNode("$L$", (4, 0), "loss", "1.22", "1"),
    }
    edges = [("x", "z", "×"), ("w", "z", ""), ("z", "L", "平方误差"), ("y", "L", "")]
    return nodes, edges


def arrows(ax):
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_draws_every_node_with_its_fill_and_texts(ax):
    nodes, edges = chain()
    assert draw_computational_graph(ax, nodes, edges) is ax
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 5
    fills = sorted(matplotlib.colors.to_hex(b.get_facecolor()) for b in boxes)
    expected = sorted(NODE_KINDS[k] for k in ("input", "param", "value", "input", "loss"))
    assert fills == expected
    labels = texts(ax)
    for text in (
        "$x$",
        "$w$",
        "$z$",
        "$y$",
        "$L$",
        "2.0",
        "-0.5",
        "dw",
        "dz",
        "1",
        "×",
        "平方误差",
    ):
        assert text in labels, f"missing {text!r} in {labels}"
    assert "" not in labels  # empty grad and operation strings draw nothing
    assert not ax.axison


def test_backward_arrows_only_where_a_gradient_arrives(ax):
    nodes, edges = chain()
    draw_computational_graph(ax, nodes, edges)
    drawn = arrows(ax)
    # 4 forward arrows; backward ones into w and z only (x and y get no gradient)
    assert len(drawn) == 4 + 2
    colors = [matplotlib.colors.to_hex(a.get_edgecolor()) for a in drawn]
    assert colors.count(matplotlib.colors.to_hex(FORWARD_COLOR)) == 4
    assert colors.count(matplotlib.colors.to_hex(BACKWARD_COLOR)) == 2
    red = [t.get_text() for t in ax.texts if t.get_color() == BACKWARD_COLOR]
    assert sorted(red) == ["1", "dw", "dz"]


def test_backward_arrows_point_from_target_to_source(ax):
    nodes = {"a": GraphNode("a", (0, 0), grad="da"), "b": GraphNode("b", (3, 0), "loss")}
    draw_computational_graph(ax, nodes, [("a", "b", "")])
    forward, back = arrows(ax)
    (fx0, _), (fx1, _) = forward._posA_posB
    (bx0, by0), (bx1, by1) = back._posA_posB
    assert fx0 < fx1 and bx0 > bx1  # forward goes right, backward comes back left
    assert by0 == by1 != 0  # drawn beside the forward arrow, not on top of it


def test_forward_only_hides_the_gradients(ax):
    nodes, edges = chain()
    draw_computational_graph(ax, nodes, edges, backward=False)
    assert len(arrows(ax)) == 4
    assert not {"dw", "dz", "1"} & set(texts(ax))


def test_texts_go_below_or_above_the_box(ax):
    nodes, edges = chain()
    draw_computational_graph(ax, nodes, edges)
    where = {t.get_text(): t.get_position()[1] for t in ax.texts}
    assert where["-0.7"] < 0 and where["dz"] < where["-0.7"]  # z: value, then grad, below
    assert where["-0.5"] > 1 and where["dw"] > 1  # w: both above


def test_fontsize_sets_every_label(ax):
    nodes, edges = chain()
    draw_computational_graph(ax, nodes, edges, fontsize=9)
    sizes = {t.get_text(): t.get_fontsize() for t in ax.texts}
    assert sizes["dz"] == 9 and sizes["$z$"] == 11  # node names are 2 pt larger


GOOD = GraphNode("a", (0, 0))


@pytest.mark.parametrize(
    "nodes, edges, kwargs, error, message",
    [
        ({}, [], {}, ValueError, r"nodes must be a non-empty mapping"),
        ({"a": "a"}, [], {}, TypeError, r"nodes\['a'\] must be a GraphNode, got str"),
        (
            {"a": GraphNode("a", (0, 0), "bias")},
            [],
            {},
            ValueError,
            r"nodes\['a'\]\.kind must be one of 'input', 'param', 'value', 'loss'; got 'bias'",
        ),
        (
            {"a": GraphNode("a", (0, 0), side="left")},
            [],
            {},
            ValueError,
            r"nodes\['a'\]\.side must be one of 'below', 'above'; got 'left'",
        ),
        (
            {"a": GraphNode("a", (0, 0, 0))},
            [],
            {},
            ValueError,
            r"nodes\['a'\]\.xy must be an \(x, y\) pair, got \(0, 0, 0\)",
        ),
        ({"a": GraphNode("a", (0, float("nan")))}, [], {}, ValueError, r"nodes\['a'\]\.xy\[1\]"),
        (
            {"a": GraphNode("a", (0, 0), grad=1.0)},
            [],
            {},
            TypeError,
            r"nodes\['a'\]\.grad must be a str, got 1.0",
        ),
        (
            {"a": GOOD},
            "ab",
            {},
            TypeError,
            r"edges must be a list of \(source, target, operation\)",
        ),
        (
            {"a": GOOD},
            [("a", "b")],
            {},
            ValueError,
            r"edges\[0\] must be a \(source, target, operation\) triple",
        ),
        (
            {"a": GOOD},
            [("a", "b", "")],
            {},
            ValueError,
            r"edges\[0\] names node 'b', which is not one of \['a'\]",
        ),
        ({"a": GOOD}, [("a", "a", "")], {}, ValueError, r"edges\[0\] joins 'a' to itself"),
        (
            {"a": GOOD, "b": GraphNode("b", (0, 0))},
            [("a", "b", "")],
            {},
            ValueError,
            r"edges\[0\] joins two nodes at the same place",
        ),
        (
            {"a": GOOD, "b": GraphNode("b", (1, 0))},
            [("a", "b", ""), ("a", "b", "+")],
            {},
            ValueError,
            r"edges\[1\] repeats the edge 'a' -> 'b'",
        ),
        (
            {"a": GOOD, "b": GraphNode("b", (1, 0))},
            [("a", "b", 3)],
            {},
            TypeError,
            r"edges\[0\] operation must be a str, got 3",
        ),
        ({"a": GOOD}, [], {"backward": "yes"}, TypeError, r"backward must be True or False"),
        ({"a": GOOD}, [], {"fontsize": 0}, ValueError, r"fontsize must be > 0, got 0"),
    ],
)
def test_refuses_bad_input(ax, nodes, edges, kwargs, error, message):
    with pytest.raises(error, match=message):
        draw_computational_graph(ax, nodes, edges, **kwargs)


def test_refuses_a_figure_for_ax():
    import matplotlib.pyplot as plt

    fig = plt.figure()
    try:
        with pytest.raises(TypeError, match=r"ax must be a matplotlib Axes, got Figure"):
            draw_computational_graph(fig, {"a": GOOD}, [])
    finally:
        plt.close(fig)
