"""Small filter kernels drawn as coloured tables, and an image filtered with one.

Positive weights are red, negative ones blue, zero white, on a scale symmetric about 0.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.image import AxesImage
from numpy.typing import ArrayLike

from dlnotes.checks import as_float_array, check_finite, check_nonempty, check_rank
from dlnotes.edges import filter2d

__all__ = ["show_kernel", "show_response"]


def show_kernel(ax: Axes, kernel: ArrayLike, title: str = "") -> AxesImage:
    """Draw a small kernel as a table of its weights: red cells positive, blue ones negative.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    kernel : array_like, shape (HH, WW)
        Each weight is written in its cell with 3 significant digits, in white
        on dark cells (beyond 60 % of the largest magnitude).
    title : str

    Returns
    -------
    matplotlib.image.AxesImage
        The coloured cells, on the scale ``[-max|k|, max|k|]``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = show_kernel(ax, [[1, 0, -1], [2, 0, -2], [1, 0, -1]], "sobel_x")
    >>> [t.get_text() for t in ax.texts][:3], ax.texts[3].get_color()
    (['1', '0', '-1'], 'white')
    >>> plt.close(fig)
    """
    kernel = _check_kernel(ax, kernel)
    limit = max(np.abs(kernel).max(), 1e-9)
    image = ax.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
    for (i, j), value in np.ndenumerate(kernel):
        colour = "white" if abs(value) > 0.6 * limit else "black"  # readable on dark cells
        ax.text(j, i, f"{value:.3g}", ha="center", va="center", color=colour)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    return image


def show_response(ax: Axes, image: ArrayLike, kernel: ArrayLike) -> AxesImage:
    """Filter a grey image with ``kernel`` (:func:`dlnotes.edges.filter2d`) and draw the result.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    image : array_like, shape (H, W)
        Grey values in 0..255.
    kernel : array_like, shape (HH, WW)

    Returns
    -------
    matplotlib.image.AxesImage
        A kernel whose weights sum to 0 (an edge detector) gives responses
        around 0: they are drawn around mid-grey, up to the 99th percentile of
        their magnitude. Any other kernel gives grey values, clipped to 0..255.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> show_response(ax, np.full((8, 8), 100.0), np.ones((3, 3)) / 9).get_clim()
    (0.0, 255.0)
    >>> plt.close(fig)
    """
    kernel = _check_kernel(ax, kernel)
    out = filter2d(image, kernel)
    if abs(kernel.sum()) < 1e-9:
        limit = max(np.percentile(np.abs(out), 99), 1e-9)
        shown = ax.imshow(out, cmap="gray", vmin=-limit, vmax=limit)
    else:
        shown = ax.imshow(np.clip(out, 0, 255), cmap="gray", vmin=0, vmax=255)
    ax.axis("off")
    return shown


def _check_kernel(ax: Axes, kernel: ArrayLike) -> np.ndarray:
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    kernel = as_float_array(kernel, "kernel")
    check_rank(kernel, 2, "kernel", "(HH, WW)")
    check_nonempty(kernel, "kernel")
    check_finite(kernel, "kernel")
    return kernel
