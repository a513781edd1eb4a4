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

>>> import numpy as np
>>> step = np.tile([0.0, 0.0, 1.0, 1.0], (3, 1))   # dark left half, bright right half
>>> filter2d(step, KERNELS["sobel_x"], padding="valid")
array([[4., 4.]])
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from dlnotes.checks import check_finite, check_positive_int, check_rank
from dlnotes.layers.conv import conv2d_forward

__all__ = [
    "KERNELS",
    "PADDINGS",
    "gaussian_kernel",
    "filter2d",
    "gradient_magnitude_direction",
    "to_grayscale",
]

# padding name -> np.pad mode; the OpenCV / PyTorch names are in filter2d's docstring
PADDINGS = {"zero": "constant", "reflect": "reflect", "replicate": "edge", "valid": None}

# ITU-R BT.601 luma weights, in R, G, B order
BT601 = (0.299, 0.587, 0.114)


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


def _real_array(value: object, name: str) -> np.ndarray:
    """Return ``value`` as a non-empty float64 array; reject bool, complex, object and string dtypes."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "iuf":
        hint = "; convert a mask with .astype(np.uint8) first" if arr.dtype.kind == "b" else ""
        raise TypeError(
            f"{name} must hold real numbers (an int, uint or float dtype), got dtype {arr.dtype}{hint}"
        )
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    arr = arr.astype(np.float64)
    check_finite(arr, name)
    return arr


def _check_kernel(kernel: object) -> np.ndarray:
    kernel = _real_array(kernel, "kernel")
    check_rank(kernel, 2, "kernel", "(KH, KW)")
    if kernel.shape[0] % 2 == 0 or kernel.shape[1] % 2 == 0:
        raise ValueError(
            f"kernel must have odd height and width, so that it has a centre pixel, got shape {kernel.shape}"
        )
    return kernel


def _check_image(image: object) -> np.ndarray:
    image = _real_array(image, "image")
    check_rank(image, (2, 3), "image", "(H, W) or (H, W, C)")
    if image.ndim == 3 and image.shape[2] > 4:
        raise ValueError(
            f"image of rank 3 must be channels-last (H, W, C) with C <= 4, got shape {image.shape}; "
            "move a channels-first image with np.moveaxis(image, 0, -1)"
        )
    return image


def gaussian_kernel(size: int, sigma: float) -> np.ndarray:
    """A normalised 2-D Gaussian kernel ``g(u) g(v)`` with ``g(u) ~ exp(-u**2 / (2 sigma**2))``.

    Parameters
    ----------
    size : odd int >= 1
        Height and width; offsets ``u, v`` run from ``-(size // 2)`` to ``size // 2``.
    sigma : float > 0
        Standard deviation in pixels.

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
    """
    size = check_positive_int(size, "size")
    if size % 2 == 0:
        raise ValueError(f"size must be odd, so that the kernel has a centre pixel, got {size}")
    if isinstance(sigma, bool) or not isinstance(sigma, (int, float, np.integer, np.floating)):
        raise TypeError(f"sigma must be a number, got {sigma!r} of type {type(sigma).__name__}")
    if not (np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"sigma must be a finite number > 0, got {sigma}")
    u = np.arange(size) - size // 2
    g = np.exp(-(u**2) / (2.0 * float(sigma) ** 2))
    g /= g.sum()
    return np.outer(g, g)


def filter2d(image: object, kernel: object, padding: str = "reflect") -> np.ndarray:
    """Cross-correlate a grayscale or colour image with one kernel (each channel separately).

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C) with C <= 4
        Any int, uint or float dtype (uint8 photos included); computed in float64.
    kernel : array_like, shape (KH, KW), both odd
    padding : {"reflect", "zero", "replicate", "valid"}
        What lies beyond the border; for the row ``a b c d`` and a 5-wide kernel:

        - "reflect": ``c b | a b c d | c b``, mirror without repeating the edge pixel;
          cv2 ``BORDER_REFLECT_101`` (the default of ``cv2.filter2D``), torch ``F.pad(mode="reflect")``.
        - "zero": ``0 0 | a b c d | 0 0``; cv2 ``BORDER_CONSTANT``, torch ``F.conv2d(padding=(KH // 2, KW // 2))``.
        - "replicate": ``a a | a b c d | d d``; cv2 ``BORDER_REPLICATE``, torch ``F.pad(mode="replicate")``.
        - "valid": no padding, the output shrinks; torch ``F.conv2d(padding=0)``.

    Returns
    -------
    out : numpy.ndarray, float64
        Shape (H, W) (or (H, W, C)); with "valid", (H - KH + 1, W - KW + 1) (or with C).

    Raises
    ------
    TypeError
        For a bool, complex, object or string dtype, or a padding that is not a string.
    ValueError
        For an empty, non-finite or wrongly shaped image or kernel, an even-sized kernel,
        an unknown padding, or an image too small for the padding.

    Examples
    --------
    >>> import numpy as np
    >>> ramp = np.arange(5.0)[None, :].repeat(3, axis=0)   # brightness grows by 1 per column
    >>> filter2d(ramp, KERNELS["sobel_x"], padding="replicate")    # slope 1 times weight 8
    array([[4., 8., 8., 8., 4.],
           [4., 8., 8., 8., 4.],
           [4., 8., 8., 8., 4.]])
    >>> filter2d(ramp, KERNELS["sobel_x"], padding="zero")[1]      # zeros fake an edge at the border
    array([  4.,   8.,   8.,   8., -12.])
    """
    image = _check_image(image)
    kernel = _check_kernel(kernel)
    if not isinstance(padding, str):
        raise TypeError(
            f"padding must be a string, one of {', '.join(map(repr, PADDINGS))}, got {padding!r}"
        )
    if padding not in PADDINGS:
        raise ValueError(
            f"padding must be one of {', '.join(map(repr, PADDINGS))}, got {padding!r}"
        )
    (h, w), (kh, kw) = image.shape[:2], kernel.shape
    ph, pw = kh // 2, kw // 2
    if padding == "valid" and (h < kh or w < kw):
        raise ValueError(
            f"with padding='valid' the image must be at least as large as the kernel {kernel.shape}, got {image.shape}"
        )
    if padding == "reflect" and (h <= ph or w <= pw):
        raise ValueError(
            f"with padding='reflect' the image must be larger than the kernel's half-size ({ph}, {pw}) "
            f"in both directions, got image shape {image.shape}"
        )
    # (H, W, C) -> (C, 1, H, W): the channels become a batch of one-channel images
    planes = image[None] if image.ndim == 2 else np.moveaxis(image, 2, 0)
    if padding != "valid":
        planes = np.pad(planes, ((0, 0), (ph, ph), (pw, pw)), mode=PADDINGS[padding])
    out, _ = conv2d_forward(planes[:, None], kernel[None, None], np.zeros(1))
    out = out[:, 0]
    return out[0] if image.ndim == 2 else np.moveaxis(out, 0, 2)


def gradient_magnitude_direction(gx: object, gy: object) -> tuple[np.ndarray, np.ndarray]:
    """Length and angle of the gradient vector ``(gx, gy)`` at every pixel.

    Parameters
    ----------
    gx, gy : array_like, same shape (H, W)
        Derivatives along x (to the right) and y (downwards), e.g. from ``sobel_x``/``sobel_y``.

    Returns
    -------
    magnitude : numpy.ndarray, shape (H, W)
        ``sqrt(gx**2 + gy**2)``.
    direction : numpy.ndarray, shape (H, W)
        ``arctan2(gy, gx)`` in radians, in [-pi, pi]; 0 points right and +pi/2 points down
        (y grows downwards in an image). The gradient points from dark to bright,
        across the edge.

    Examples
    --------
    >>> mag, ang = gradient_magnitude_direction([[3.0]], [[4.0]])
    >>> float(mag[0, 0]), round(float(ang[0, 0]), 4)
    (5.0, 0.9273)
    """
    gx = _real_array(gx, "gx")
    gy = _real_array(gy, "gy")
    if gx.shape != gy.shape:
        raise ValueError(f"gx and gy must have the same shape, got {gx.shape} and {gy.shape}")
    return np.hypot(gx, gy), np.arctan2(gy, gx)


def to_grayscale(image: object, order: str = "RGB") -> np.ndarray:
    """Luma ``0.299 R + 0.587 G + 0.114 B`` (ITU-R BT.601), without rounding.

    Parameters
    ----------
    image : array_like, shape (H, W, 3)
        Any int, uint or float dtype; the result keeps its scale (0..255 stays 0..255).
    order : {"RGB", "BGR"}
        Channel order of ``image``; ``cv2.imread`` returns "BGR", matplotlib "RGB".

    Returns
    -------
    gray : numpy.ndarray, shape (H, W), float64
        ``cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)`` gives the same values for float
        input; for uint8 input OpenCV rounds to the nearest integer.

    Examples
    --------
    >>> to_grayscale([[[255, 0, 0], [0, 0, 255]]])          # pure red, pure blue
    array([[76.245, 29.07 ]])
    >>> to_grayscale([[[255, 0, 0], [0, 0, 255]]], order="BGR")
    array([[29.07 , 76.245]])
    """
    image = _real_array(image, "image")
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"image must have shape (H, W, 3), got {image.shape}")
    if order not in ("RGB", "BGR"):
        raise ValueError(f"order must be 'RGB' or 'BGR', got {order!r}")
    weights = np.array(BT601 if order == "RGB" else BT601[::-1])
    return image @ weights
