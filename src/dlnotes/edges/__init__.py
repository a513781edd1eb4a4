"""Named 3x3 kernels and small filtering helpers for edge detection on photos.

Every filter here is a cross-correlation, the operation that
``torch.nn.functional.conv2d`` and ``cv2.filter2D`` compute:
``out[i, j] = sum(image[i + u, j + v] * kernel[u, v])`` over the window
centred on ``(i, j)``. A convolution in the mathematical sense flips the
kernel first; for the antisymmetric edge kernels that flips the sign.

Axes follow image convention: row index ``i`` grows downwards (y) and column
index ``j`` grows to the right (x). So ``sobel_x`` is positive where the image
gets brighter to the right, and ``sobel_y`` where it gets brighter downwards,
exactly like ``cv2.Sobel``.

One module per idea:

* ``dlnotes.edges.kernels``: ``KERNELS`` (the named 3x3 kernels) and ``gaussian_kernel``;
* ``dlnotes.edges.filtering``: ``filter2d`` and its border ``PADDINGS``;
* ``dlnotes.edges.gradients``: ``gradient_magnitude_direction``;
* ``dlnotes.edges.grayscale``: ``to_grayscale`` (BT.601 luma).

>>> import numpy as np
>>> step = np.tile([0.0, 0.0, 1.0, 1.0], (3, 1))   # dark left half, bright right half
>>> filter2d(step, KERNELS["sobel_x"], padding="valid")
array([[4., 4.]])
"""

from dlnotes.edges.filtering import (
    PADDINGS,
    Padding,  # noqa: F401  (kept here, outside __all__, as before the split)
    filter2d,
)
from dlnotes.edges.gradients import gradient_magnitude_direction
from dlnotes.edges.grayscale import (
    BT601,  # noqa: F401  (kept here, outside __all__, as before the split)
    to_grayscale,
)
from dlnotes.edges.kernels import KERNELS, gaussian_kernel

__all__ = [
    "KERNELS",
    "PADDINGS",
    "gaussian_kernel",
    "filter2d",
    "gradient_magnitude_direction",
    "to_grayscale",
]
