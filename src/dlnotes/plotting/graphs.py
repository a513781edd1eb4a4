"""Computational graphs: values as boxes, operations on the arrows, gradients flowing back.

A node is a value (an input, a parameter, an intermediate result or the loss);
an edge says "this value is used to compute that one". With ``backward=True``
every edge whose source receives a gradient also gets a red arrow pointing
back, and each node shows its gradient in red under its forward value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from dlnotes.checks import check_choice, check_flag, check_number

__all__ = ["GraphNode", "draw_computational_graph", "NODE_KINDS"]

# The fill of each kind of node.
NODE_KINDS = {"input": "#dddddd", "param": "#cfe3f7", "value": "#fde2b8", "loss": "#f7d4d4"}
FORWARD_COLOR = "black"
BACKWARD_COLOR = "tab:red"
_HALF_W, _HALF_H = 0.42, 0.28  # half the size of a node's box
_OFFSET = 0.09  # how far the backward arrow sits beside its forward arrow


@dataclass(frozen=True)
class GraphNode:
    """One value of a computational graph.

    Parameters
    ----------
    label : str
        Drawn inside the box, e.g. ``"$Z_1$"``.
    xy : (float, float)
        Centre of the box, in data coordinates.
    kind : {"input", "param", "value", "loss"}
        Sets the fill colour (:data:`NODE_KINDS`).
    value : str
        The forward value, drawn in black under the box ("" for none).
    grad : str
        The gradient of the loss with respect to this value, drawn in red under
        ``value`` ("" when no gradient reaches this node).
    side : {"below", "above"}
        Where ``value`` and ``grad`` go: under the box, or over it (for a row of
        parameters drawn above the arrows they feed).
    """

    label: str
    xy: tuple[float, float]
    kind: str = "value"
    value: str = ""
    grad: str = ""
    side: str = "below"


def draw_computational_graph(
    ax: Axes,
    nodes: Mapping[str, GraphNode],
    edges: Sequence[tuple[str, str, str]],
    backward: bool = True,
    fontsize: float = 10.0,
) -> Axes:
    """Draw a computational graph; with ``backward``, the backward pass on top of it.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    nodes : mapping of str to GraphNode, length V
        The values, by name.
    edges : sequence of (source, target, operation), length E
        ``source`` is used to compute ``target``; ``operation`` (may be "") is
        written beside the black forward arrow.
    backward : bool
        Also draw the backward pass: a red arrow from ``target`` back to
        ``source`` for every edge whose source has a ``grad``, and every
        node's ``grad`` text.
    fontsize : float > 0
        Size of every label, in points.

    Returns
    -------
    ax : the same Axes, with the axis hidden and the aspect ratio fixed.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> nodes = {"w": GraphNode("$w$", (0, 0), "param", "0.5", "$-2.8$"),
    ...          "L": GraphNode("$L$", (2, 0), "loss", "1.22", "1")}
    >>> _ = draw_computational_graph(ax, nodes, [("w", "L", "")])
    >>> len(ax.patches)  # two boxes, one forward and one backward arrow
    4
    >>> sorted(t.get_text() for t in ax.texts)
    ['$-2.8$', '$L$', '$w$', '0.5', '1', '1.22']
    >>> plt.close(fig)
    """
    fontsize = _check_graph(ax, nodes, edges, backward, fontsize)
    for source, target, operation in edges:
        start, end = np.asarray(nodes[source].xy), np.asarray(nodes[target].xy)
        normal = _unit_normal(start, end)
        _arrow(ax, start, end, FORWARD_COLOR, "-")
        if operation:
            middle = (start + end) / 2 + 0.22 * normal
            ax.text(
                *middle,
                operation,
                ha="center",
                va="center",
                fontsize=fontsize,
                color=FORWARD_COLOR,
                zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
            )
        if backward and nodes[source].grad:
            shift = -_OFFSET * normal
            _arrow(ax, end + shift, start + shift, BACKWARD_COLOR, "--")
    for node in nodes.values():
        _box(ax, node, fontsize)
        lines = [(node.value, FORWARD_COLOR)] + ([(node.grad, BACKWARD_COLOR)] if backward else [])
        lines = [line for line in lines if line[0]]
        step = 0.045 * fontsize + 0.06
        if node.side == "below":
            y, va = node.xy[1] - _HALF_H - 0.08, "top"
        else:
            y, va, step, lines = node.xy[1] + _HALF_H + 0.08, "bottom", -step, lines[::-1]
        for text, color in lines:
            ax.text(
                node.xy[0], y, text, ha="center", va=va, fontsize=fontsize, color=color, zorder=4
            )
            y -= step
    xs = [n.xy[0] for n in nodes.values()]
    ys = [n.xy[1] for n in nodes.values()]
    ax.set_xlim(min(xs) - 1.0, max(xs) + 1.0)
    ax.set_ylim(min(ys) - 1.1, max(ys) + 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _unit_normal(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The unit vector at a right angle to start → end (to its left)."""
    dx, dy = end - start
    return np.array([-dy, dx]) / np.hypot(dx, dy)


def _arrow(ax: Axes, start: np.ndarray, end: np.ndarray, color: str, style: str) -> None:
    ax.add_patch(
        FancyArrowPatch(
            tuple(start),
            tuple(end),
            arrowstyle="-|>",
            mutation_scale=12,
            shrinkA=18,
            shrinkB=18,
            color=color,
            linewidth=1.2,
            linestyle=style,
            zorder=1,
        )
    )


def _box(ax: Axes, node: GraphNode, fontsize: float) -> None:
    x, y = node.xy
    ax.add_patch(
        FancyBboxPatch(
            (x - _HALF_W, y - _HALF_H),
            2 * _HALF_W,
            2 * _HALF_H,
            boxstyle="round,pad=0.04",
            facecolor=NODE_KINDS[node.kind],
            edgecolor="black",
            linewidth=1.1,
            zorder=2,
        )
    )
    ax.text(x, y, node.label, ha="center", va="center", fontsize=fontsize + 2, zorder=3)


def _check_graph(
    ax: object, nodes: object, edges: object, backward: object, fontsize: object
) -> float:
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    if not isinstance(nodes, Mapping) or not nodes:
        raise ValueError(f"nodes must be a non-empty mapping of name to GraphNode, got {nodes!r}")
    for name, node in nodes.items():
        if not isinstance(node, GraphNode):
            raise TypeError(f"nodes[{name!r}] must be a GraphNode, got {type(node).__name__}")
        check_choice(node.kind, f"nodes[{name!r}].kind", tuple(NODE_KINDS))
        check_choice(node.side, f"nodes[{name!r}].side", ("below", "above"))
        if not (isinstance(node.xy, (tuple, list)) and len(node.xy) == 2):
            raise ValueError(f"nodes[{name!r}].xy must be an (x, y) pair, got {node.xy!r}")
        for i, coordinate in enumerate(node.xy):
            check_number(coordinate, f"nodes[{name!r}].xy[{i}]")
        for field in ("label", "value", "grad"):
            if not isinstance(getattr(node, field), str):
                raise TypeError(
                    f"nodes[{name!r}].{field} must be a str, got {getattr(node, field)!r}"
                )
    if isinstance(edges, str) or not isinstance(edges, Sequence):
        raise TypeError(f"edges must be a list of (source, target, operation), got {edges!r}")
    seen = set()
    for i, edge in enumerate(edges):
        if not (isinstance(edge, (tuple, list)) and len(edge) == 3):
            raise ValueError(
                f"edges[{i}] must be a (source, target, operation) triple, got {edge!r}"
            )
        source, target, operation = edge
        for end in (source, target):
            if end not in nodes:
                raise ValueError(
                    f"edges[{i}] names node {end!r}, which is not one of {sorted(nodes)}"
                )
        if source == target:
            raise ValueError(f"edges[{i}] joins {source!r} to itself")
        if nodes[source].xy == nodes[target].xy:
            raise ValueError(f"edges[{i}] joins two nodes at the same place {nodes[source].xy}")
        if (source, target) in seen:
            raise ValueError(f"edges[{i}] repeats the edge {source!r} -> {target!r}")
        seen.add((source, target))
        if not isinstance(operation, str):
            raise TypeError(f"edges[{i}] operation must be a str, got {operation!r}")
    check_flag(backward, "backward")
    return check_number(fontsize, "fontsize", positive=True)
