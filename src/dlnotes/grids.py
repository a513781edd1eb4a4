"""Kept for old code: the grid pictures now live in :mod:`dlnotes.plotting.grids`.

``from dlnotes.grids import draw_matrix`` keeps working and gives the very same
objects as ``dlnotes.plotting``; new code imports from ``dlnotes.plotting``.
"""

from dlnotes.plotting.grids import (
    HIGHLIGHT_COLORS,  # noqa: F401  (re-exported)
    PAD_GREY,  # noqa: F401  (re-exported)
    ConvStep,
    conv_frames,
    conv_steps,
    draw_matrix,
)
from dlnotes.plotting.tensors import draw_tensor_ranks

__all__ = ["ConvStep", "draw_matrix", "conv_steps", "conv_frames", "draw_tensor_ranks"]
