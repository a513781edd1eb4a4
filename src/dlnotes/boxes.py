"""Bounding boxes for object detection: IoU, non-maximum suppression and anchors.

Boxes are rows ``(x1, y1, x2, y2)``: the top-left and bottom-right corners in
continuous pixel coordinates, with ``x1 <= x2`` and ``y1 <= y2``; the width is
``x2 - x1`` (no "+1" as in the old PASCAL VOC code). The y axis points down, as
in images.
"""

from __future__ import annotations

import numpy as np

from dlnotes.checks import as_float_array, check_finite, check_probability

__all__ = ["check_boxes", "box_area", "box_iou", "nms", "nms_suppressors", "make_anchors"]


def check_boxes(boxes: object, name: str = "boxes") -> np.ndarray:
    """Return ``boxes`` as a float array of shape (N, 4), or raise with the offending row.

    A single box of shape (4,) is accepted and becomes (1, 4).
    """
    arr = as_float_array(boxes, name)
    if arr.ndim == 1 and arr.shape[0] == 4:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != 4:
        raise ValueError(
            f"{name} must have shape (N, 4) with rows (x1, y1, x2, y2), got shape {arr.shape}"
        )
    check_finite(arr, name)
    bad = np.flatnonzero((arr[:, 2] < arr[:, 0]) | (arr[:, 3] < arr[:, 1]))
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"{name} must satisfy x1 <= x2 and y1 <= y2, got row {i} = {arr[i].tolist()} "
            "(is it (x, y, w, h) or (cx, cy, w, h) instead of corners?)"
        )
    return arr


def box_area(boxes: object) -> np.ndarray:
    """Areas ``(x2 - x1) * (y2 - y1)``, shape (N,), of boxes of shape (N, 4)."""
    b = check_boxes(boxes)
    return (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])


def box_iou(boxes_a: object, boxes_b: object) -> np.ndarray:
    """Pairwise intersection over union (IoU) of two sets of boxes.

    Parameters
    ----------
    boxes_a : array_like, shape (N, 4)
    boxes_b : array_like, shape (M, 4)

    Returns
    -------
    iou : numpy.ndarray, shape (N, M)
        ``iou[i, j] = area(a_i ∩ b_j) / area(a_i ∪ b_j)``, in [0, 1]. Two boxes whose
        union has zero area (both degenerate) get IoU 0.

    Examples
    --------
    >>> box_iou([[0, 0, 1, 1]], [[0.5, 0, 1.5, 1], [2, 2, 3, 3]])   # overlap 1/2, union 3/2
    array([[0.33333333, 0.        ]])
    """
    a = check_boxes(boxes_a, "boxes_a")
    b = check_boxes(boxes_b, "boxes_b")
    # Broadcast (N, 1) against (1, M): the corners of every intersection at once
    left = np.maximum(a[:, None, 0], b[None, :, 0])
    top = np.maximum(a[:, None, 1], b[None, :, 1])
    right = np.minimum(a[:, None, 2], b[None, :, 2])
    bottom = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(right - left, 0, None) * np.clip(bottom - top, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def nms_suppressors(
    boxes: object, scores: object, iou_threshold: float, labels: object | None = None
) -> np.ndarray:
    """Greedy non-maximum suppression, recording which kept box removed each other box.

    Repeat: keep the highest-scoring remaining box, then discard every remaining box
    whose IoU with it is **greater than** ``iou_threshold``. With ``labels``, boxes of
    different classes never suppress each other (the usual per-class NMS).

    Parameters
    ----------
    boxes : array_like, shape (N, 4)
    scores : array_like, shape (N,)
    iou_threshold : float in [0, 1]
        0 suppresses every box that overlaps a kept one at all; 1 suppresses nothing,
        since an IoU is never greater than 1.
    labels : array_like of int, shape (N,), optional
        Class of each box.

    Returns
    -------
    suppressor : numpy.ndarray of int64, shape (N,)
        -1 for a kept box; otherwise the index of the kept box that removed it.
        Boxes are visited by decreasing score; equal scores in index order (a stable sort).

    Examples
    --------
    >>> boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]
    >>> nms_suppressors(boxes, [0.9, 0.8, 0.7], iou_threshold=0.5)   # box 1 overlaps box 0 (IoU 0.68)
    array([-1,  0, -1])
    """
    b = check_boxes(boxes)
    s = as_float_array(scores, "scores")
    if s.shape != (len(b),):
        raise ValueError(f"scores must have shape ({len(b)},), one per box, got {s.shape}")
    check_finite(s, "scores")
    iou_threshold = check_probability(iou_threshold, "iou_threshold", allow_one=True)
    if labels is None:
        cls = np.zeros(len(b), dtype=np.int64)
    else:
        cls = np.asarray(labels)
        if cls.shape != (len(b),) or (cls.size and cls.dtype.kind not in "iub"):
            raise ValueError(
                f"labels must be integers of shape ({len(b)},), got {cls.dtype} of shape {cls.shape}"
            )
    iou = box_iou(b, b)
    suppressor = np.full(len(b), -2, dtype=np.int64)  # -2: not decided yet
    for i in np.argsort(-s, kind="stable"):
        if suppressor[i] != -2:
            continue
        suppressor[i] = -1  # the best box still standing is kept ...
        victims = (suppressor == -2) & (iou[i] > iou_threshold) & (cls == cls[i])
        suppressor[victims] = i  # ... and removes its overlapping rivals of the same class
    return suppressor


def nms(
    boxes: object, scores: object, iou_threshold: float, labels: object | None = None
) -> np.ndarray:
    """Greedy non-maximum suppression (NMS): the indices of the boxes that survive.

    Same arguments and rules as ``nms_suppressors``.

    Returns
    -------
    keep : numpy.ndarray of int64, shape (K,)
        Indices of the kept boxes, by decreasing score (ties in index order).

    Examples
    --------
    >>> boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]
    >>> nms(boxes, [0.9, 0.8, 0.7], iou_threshold=0.5)
    array([0, 2])
    """
    suppressor = nms_suppressors(boxes, scores, iou_threshold, labels)
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")
    return order[suppressor[order] == -1].astype(np.int64)


def make_anchors(
    sizes: object,
    aspect_ratios: object,
    center: tuple[float, float] = (0.0, 0.0),
) -> np.ndarray:
    """Anchor boxes of several sizes and aspect ratios around one point (one feature-map cell).

    An anchor of size ``s`` and aspect ratio ``r = h / w`` has area ``s**2``,
    so ``w = s / sqrt(r)`` and ``h = s * sqrt(r)`` (the convention of Faster R-CNN
    and torchvision's ``AnchorGenerator``).

    Parameters
    ----------
    sizes : array_like, shape (S,), each > 0
        Square root of the anchor areas, in pixels.
    aspect_ratios : array_like, shape (R,), each > 0
        Height divided by width: 0.5 is wide, 2 is tall.
    center : (cx, cy)
        Where the anchors are centred, e.g. ``((j + 0.5) * stride, (i + 0.5) * stride)``
        for cell (i, j) of a feature map with the given stride.

    Returns
    -------
    anchors : numpy.ndarray, shape (R * S, 4)
        Rows ``(x1, y1, x2, y2)``, ratio-major: row ``k = r_index * S + s_index``.

    Examples
    --------
    >>> make_anchors([4.0], [1.0, 4.0])
    array([[-2., -2.,  2.,  2.],
           [-1., -4.,  1.,  4.]])
    """
    s = as_float_array(sizes, "sizes").ravel()
    r = as_float_array(aspect_ratios, "aspect_ratios").ravel()
    for arr, name in ((s, "sizes"), (r, "aspect_ratios")):
        if arr.size == 0:
            raise ValueError(f"{name} must hold at least one value, got none")
        check_finite(arr, name)
        if np.any(arr <= 0):
            raise ValueError(f"{name} must all be > 0, got {arr.tolist()}")
    c = as_float_array(center, "center")
    if c.shape != (2,):
        raise ValueError(f"center must be a pair (cx, cy), got shape {c.shape}")
    check_finite(c, "center")
    half_w = (s[None, :] / np.sqrt(r[:, None])).ravel() / 2
    half_h = (s[None, :] * np.sqrt(r[:, None])).ravel() / 2
    return np.stack([c[0] - half_w, c[1] - half_h, c[0] + half_w, c[1] + half_h], axis=1)
