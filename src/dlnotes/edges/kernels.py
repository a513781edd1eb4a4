"""Named kernels: the 3x3 edge and smoothing kernels of the chapter, and Gaussian blurs.

Axes follow image convention: row index ``i`` grows downwards (y) and column
index ``j`` grows to the right (x). So ``sobel_x`` is positive where the image
gets brighter to the right, and ``sobel_y`` where it gets brighter downwards,
exactly like ``cv2.Sobel``.

>>> KERNELS["sobel_x"]
array([[-1.,  0.,  1.],
       [-2.,  0.,  2.],
       [-1.,  0.,  1.]])
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from dlnotes.checks import check_scalar

__all__ = ["KERNELS", "gaussian_kernel"]


def _read_only(rows: list[list[float]], scale: float = 1.0) -> np.ndarray:
    arr = np.array(rows, dtype=np.float64) * scale
    arr.flags.writeable = False
    return arr


class _KernelTable(Mapping):
    """A read-only name -> kernel mapping whose KeyError lists the known names."""

    def __init__(self, kernels: dict[str, np.ndarray]) -> None:
        self._kernels = dict(kernels)

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self._kernels[name]
        except KeyError:
            raise KeyError(
                f"unknown kernel {name!r}; expected one of {', '.join(self._kernels)}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._kernels)

    def __len__(self) -> int:
        return len(self._kernels)

    def __repr__(self) -> str:
        return f"KERNELS({', '.join(self._kernels)})"


KERNELS: Mapping[str, np.ndarray] = _KernelTable(
    {
        "identity": _read_only([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
        # The lecture notes' two kernels: left minus right, and top minus bottom.
        "vertical_edge": _read_only([[1, 0, -1], [1, 0, -1], [1, 0, -1]]),
        "horizontal_edge": _read_only([[1, 1, 1], [0, 0, 0], [-1, -1, -1]]),
        # Derivative kernels: positive where the image brightens along +x (right) or +y (down).
        "prewitt_x": _read_only([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]),
        "prewitt_y": _read_only([[-1, -1, -1], [0, 0, 0], [1, 1, 1]]),
        "sobel_x": _read_only([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
        "sobel_y": _read_only([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
        "scharr_x": _read_only([[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]]),
        "scharr_y": _read_only([[-3, -10, -3], [0, 0, 0], [3, 10, 3]]),
        # Second derivative: sum of d2/dx2 and d2/dy2, with 4 or 8 neighbours.
        "laplacian_4": _read_only([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
        "laplacian_8": _read_only([[1, 1, 1], [1, -8, 1], [1, 1, 1]]),
        # Smoothing kernels sum to 1, so a flat image stays unchanged.
        "box": _read_only([[1, 1, 1], [1, 1, 1], [1, 1, 1]], 1 / 9),
        "gaussian": _read_only([[1, 2, 1], [2, 4, 2], [1, 2, 1]], 1 / 16),
    }
)


def _check_gaussian(size: int, sigma: float) -> tuple[int, float]:
    size = check_scalar(size, "size", int, min_val=1)
    if size % 2 == 0:
        raise ValueError(f"size must be odd, so that the kernel has a centre pixel, got {size}")
    return size, check_scalar(sigma, "sigma", float, min_val=0, include_boundaries="neither")


def gaussian_kernel(size: int, sigma: float) -> np.ndarray:
    """A normalised 2-D Gaussian kernel ``g(u) g(v)`` with ``g(u) ~ exp(-(u / sigma)**2 / 2)``.

    Parameters
    ----------
    size : odd int >= 1
        Height and width; offsets ``u, v`` run from ``-(size // 2)`` to ``size // 2``.
    sigma : float > 0
        Standard deviation in pixels. For a sigma far below one pixel every weight but the
        centre one underflows to 0, and the kernel is exactly the identity (a delta).

    Returns
    -------
    kernel : numpy.ndarray, shape (size, size), float64
        Entries sum to 1, so smoothing keeps the mean brightness.
        Equals ``g @ g.T`` with ``g = cv2.getGaussianKernel(size, sigma)``.

    Examples
    --------
    >>> k = gaussian_kernel(3, 1.0)
    >>> k.shape, round(float(k.sum()), 12), bool(k[1, 1] == k.max())
    ((3, 3), 1.0, True)
    >>> gaussian_kernel(3, 1e-200)
    array([[0., 0., 0.],
           [0., 1., 0.],
           [0., 0., 0.]])
    """
    size, sigma = _check_gaussian(size, sigma)
    u = np.arange(size) - size // 2
    # u / sigma, not u**2 / sigma**2: sigma**2 underflows to 0 for sigma < 1e-154. The largest
    # exponent is 0 (at u = 0), so g <= 1 = g[centre] and the sum is never 0.
    with np.errstate(over="ignore"):  # (u / sigma)**2 = inf for a tiny sigma: exp(-inf) = 0
        g = np.exp(-0.5 * (u / sigma) ** 2)
    g /= g.sum()
    return np.outer(g, g)
