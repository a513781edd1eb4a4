"""A synthetic detection data set: small images with squares, circles and triangles.

Each image has a plain grey background with a little noise and 1 to ``max_objects``
filled shapes of random colours, placed so that their boxes never touch. Every
shape is drawn with integer arithmetic on the pixel grid, so its box
``(x1, y1, x2, y2)`` (continuous pixel coordinates, as in :mod:`dlnotes.boxes`)
encloses exactly its pixels, and the images are bit-for-bit the same on every
machine for the same seed.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from dlnotes.checks import check_positive_int, check_scalar, check_seed

__all__ = ["SHAPE_CLASSES", "ShapeScenes", "make_shapes_detection"]

SHAPE_CLASSES = ("square", "circle", "triangle")  # label 0, 1, 2


class ShapeScenes(NamedTuple):
    """Result of ``make_shapes_detection``: images and, per image, boxes and labels."""

    images: np.ndarray  # (N, 3, H, W) float32 in [0, 1]
    boxes: list[np.ndarray]  # N arrays (K_i, 4) float32, rows (x1, y1, x2, y2)
    labels: list[np.ndarray]  # N arrays (K_i,) int64, indices into SHAPE_CLASSES


def _shape_mask(label: int, w: int, h: int) -> np.ndarray:
    """Boolean (h, w) mask of one shape that touches all four sides of its box."""
    rows, cols = np.arange(h)[:, None], np.arange(w)[None, :]
    if label == 0:  # square (a filled rectangle)
        return np.ones((h, w), dtype=bool)
    if label == 1:  # circle of diameter w == h: pixel centres within the circle, in 2x units
        return (2 * cols + 1 - w) ** 2 + (2 * rows + 1 - h) ** 2 <= w * h
    # triangle pointing up: row r leaves `margin` pixels free on each side, full at the bottom
    margin = ((w - 1) * (h - 1 - rows)) // (2 * (h - 1))
    return (cols >= margin) & (cols < w - margin)


def _check_shapes(
    n_images: int, size: int, max_objects: int, object_size: tuple[int, int], noise: float, seed
) -> tuple[int, int, int, tuple[int, int], float, int]:
    n_images = check_positive_int(n_images, "n_images")
    size = check_positive_int(size, "size", minimum=8)
    max_objects = check_positive_int(max_objects, "max_objects")
    if not isinstance(object_size, (tuple, list)) or len(object_size) != 2:
        raise ValueError(f"object_size must be a pair (low, high), got {object_size!r}")
    low = check_positive_int(object_size[0], "object_size[0]", minimum=2)
    high = check_positive_int(object_size[1], "object_size[1]", minimum=2)
    if low > high or high > size:
        raise ValueError(
            f"object_size must be (low, high) with 2 <= low <= high <= size = {size}, "
            f"got {(low, high)}"
        )
    noise = check_scalar(noise, "noise", float, min_val=0, max_val=0.2)
    return n_images, size, max_objects, (low, high), noise, check_seed(seed)


def make_shapes_detection(
    n_images: int,
    size: int = 48,
    max_objects: int = 3,
    object_size: tuple[int, int] = (8, 20),
    noise: float = 0.05,
    seed: int = 0,
) -> ShapeScenes:
    """Images of squares, circles and triangles with their boxes and class labels.

    Parameters
    ----------
    n_images : int >= 1
    size : int >= 8
        Images are ``size × size`` pixels.
    max_objects : int >= 1
        Each image has between 1 and ``max_objects`` shapes (fewer when no free place
        is found in 50 tries).
    object_size : (int, int)
        Smallest and largest side in pixels; circles have equal sides, squares and
        triangles a width and a height drawn independently.
    noise : float in [0, 0.2]
        Half-width of the uniform noise added to the background only.
    seed : int >= 0

    Returns
    -------
    ShapeScenes
        ``images`` (N, 3, size, size) float32 in [0, 1]; ``boxes[i]`` (K_i, 4) float32
        with integer corners; ``labels[i]`` (K_i,) int64 indexing ``SHAPE_CLASSES``.

    Examples
    --------
    >>> scenes = make_shapes_detection(2, size=32, seed=1)
    >>> scenes.images.shape, scenes.images.dtype, len(scenes.boxes)
    ((2, 3, 32, 32), dtype('float32'), 2)
    """
    n_images, size, max_objects, (low, high), noise, seed = _check_shapes(
        n_images, size, max_objects, object_size, noise, seed
    )
    rng = np.random.default_rng(seed)
    images = np.empty((n_images, 3, size, size), dtype=np.float32)
    all_boxes, all_labels = [], []
    for i in range(n_images):
        grey = rng.integers(40, 90) / 255  # a dark background: shapes are at least 0.3 brighter
        image = grey + rng.uniform(-noise, noise, size=(3, size, size))
        boxes, labels = [], []
        for _ in range(rng.integers(1, max_objects + 1)):
            label = int(rng.integers(0, len(SHAPE_CLASSES)))
            for _try in range(50):
                w = int(rng.integers(low, high + 1))
                h = w if label == 1 else int(rng.integers(low, high + 1))
                x1, y1 = int(rng.integers(0, size - w + 1)), int(rng.integers(0, size - h + 1))
                box = (x1, y1, x1 + w, y1 + h)
                apart = all(  # a gap of at least one pixel to every earlier box
                    box[0] > b[2] or b[0] > box[2] or box[1] > b[3] or b[1] > box[3] for b in boxes
                )
                if apart:
                    colour = rng.integers(170, 256, size=3) / 255
                    region = image[:, y1 : y1 + h, x1 : x1 + w]
                    mask = _shape_mask(label, w, h)
                    region[:, mask] = colour[:, None]
                    boxes.append(box)
                    labels.append(label)
                    break
        images[i] = image
        all_boxes.append(np.array(boxes, dtype=np.float32).reshape(-1, 4))
        all_labels.append(np.array(labels, dtype=np.int64))
    return ShapeScenes(np.clip(images, 0.0, 1.0), all_boxes, all_labels)
