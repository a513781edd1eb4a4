"""Kept for old code: the neuron diagram now lives in :mod:`dlnotes.plotting.diagrams`.

``from dlnotes.network_diagram import draw_neuron`` keeps working and gives the
very same objects as ``dlnotes.plotting``; new code imports from ``dlnotes.plotting``.
"""

from dlnotes.plotting.diagrams import MAX_INPUTS, draw_neuron

__all__ = ["draw_neuron", "MAX_INPUTS"]
