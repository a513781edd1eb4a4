"""Every figure and table helper of the course, and matplotlib set up for the book.

Importing this package calls :func:`use_chinese_font`, so a notebook needs only
``import dlnotes.plotting`` (or any dlnotes helper that draws) before plotting:
Chinese labels render (:mod:`~dlnotes.plotting.fonts`), notebook plots are
stored as PNG at twice their displayed resolution, and, with
``DLNOTES_CHECK_FIGURE_TEXT=1``, every figure checks when it is drawn that its
text stays readable in the book's column (:mod:`~dlnotes.plotting.text_size`).

The helpers, one module per kind of picture:

* :mod:`~dlnotes.plotting.grids`: arrays as grids of numbers, convolution step by step;
* :mod:`~dlnotes.plotting.matrices`: a small matrix as a table of cells with coloured windows;
* :mod:`~dlnotes.plotting.tensors`: tensors of rank 0 to 4;
* :mod:`~dlnotes.plotting.diagrams`: a neuron with its loss, fully connected layers;
* :mod:`~dlnotes.plotting.graphs`: a computational graph with its backward pass;
* :mod:`~dlnotes.plotting.boxes`: boxes and labels on images;
* :mod:`~dlnotes.plotting.kernels`: filter kernels and their responses;
* :mod:`~dlnotes.plotting.unrolled`: a recurrent network unrolled in time;
* :mod:`~dlnotes.plotting.attention`: attention weights and masks as heat maps;
* :mod:`~dlnotes.plotting.tables`: :func:`show_table`, the one way a notebook shows a table.
"""

from __future__ import annotations

from dlnotes.plotting.fonts import SYSTEM_FALLBACKS, chinese_font_name, use_chinese_font
from dlnotes.plotting.text_size import (
    COLUMN_PX,
    CSS_PX_PER_INCH,
    MIN_TEXT_PX,
    FigureTextTooSmall,
    _check_text_size,  # noqa: F401  (kept for code that reached it here)
    _watch_text_size,  # noqa: F401  (the figure.hooks entry "dlnotes.plotting:_watch_text_size")
    smallest_text,
)

use_chinese_font()

# The helpers come after the font set-up, which they rely on when they draw.
from dlnotes.plotting.attention import draw_attention  # noqa: E402
from dlnotes.plotting.boxes import draw_box, image_axes  # noqa: E402
from dlnotes.plotting.diagrams import MAX_INPUTS, draw_layers, draw_neuron  # noqa: E402
from dlnotes.plotting.graphs import GraphNode, draw_computational_graph  # noqa: E402
from dlnotes.plotting.grids import ConvStep, conv_frames, conv_steps, draw_matrix  # noqa: E402
from dlnotes.plotting.kernels import show_kernel, show_response  # noqa: E402
from dlnotes.plotting.tables import (  # noqa: E402
    Table,
    as_table,
    format_table,
    rows_as_records,
    show_table,
)
from dlnotes.plotting.tensors import draw_tensor_ranks  # noqa: E402
from dlnotes.plotting.unrolled import draw_unrolled_rnn  # noqa: E402

__all__ = [
    "use_chinese_font",
    "chinese_font_name",
    "smallest_text",
    "SYSTEM_FALLBACKS",
    "COLUMN_PX",
    "CSS_PX_PER_INCH",
    "MIN_TEXT_PX",
    "FigureTextTooSmall",
    "draw_matrix",
    "conv_steps",
    "conv_frames",
    "ConvStep",
    "draw_tensor_ranks",
    "draw_neuron",
    "draw_layers",
    "MAX_INPUTS",
    "GraphNode",
    "draw_computational_graph",
    "draw_box",
    "image_axes",
    "show_kernel",
    "show_response",
    "show_table",
    "draw_unrolled_rnn",
    "draw_attention",
    "as_table",
    "Table",
    "format_table",
    "rows_as_records",
]
