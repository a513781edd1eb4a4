"""Bounding boxes for object detection: IoU, non-maximum suppression and anchors.

Boxes are rows ``(x1, y1, x2, y2)``: the top-left and bottom-right corners in
continuous pixel coordinates, with ``x1 <= x2`` and ``y1 <= y2``; the width is
``x2 - x1`` (no "+1" as in the old PASCAL VOC code). The y axis points down, as
in images.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import (
    as_float_array,
    check_finite,
    check_nonempty,
    check_probability,
    check_shape,
)

__all__ = ["check_boxes", "box_area", "box_iou", "nms", "nms_suppressors", "make_anchors"]


def check_boxes(boxes: ArrayLike, name: str = "boxes") -> np.ndarray:
    """Return ``boxes`` as a float array of shape (N, 4), or raise naming the offending row.

    A single box of shape (4,) is accepted and becomes (1, 4).

    >>> check_boxes([0, 0, 2, 1])
    array([[0., 0., 2., 1.]])
    >>> check_boxes([[5, 5, 2, 2]])   # (cx, cy, w, h) by mistake
    Traceback (most recent call last):
    ...
    ValueError: boxes must satisfy x1 <= x2 and y1 <= y2, got row 0 = [5.0, 5.0, 2.0, 2.0] ...
    """
    arr = as_float_array(boxes, name)
    arr = arr[None, :] if arr.shape == (4,) else arr
    if arr.ndim != 2 or arr.shape[1] != 4:
        raise ValueError(
            f"{name} must have shape (N, 4) with rows (x1, y1, x2, y2), got shape {arr.shape}"
        )
    check_finite(arr, name)
    bad = np.flatnonzero((arr[:, 2] < arr[:, 0]) | (arr[:, 3] < arr[:, 1]))
    if bad.size:
        raise ValueError(
            f"{name} must satisfy x1 <= x2 and y1 <= y2, got row {bad[0]} = {arr[bad[0]].tolist()} "
            "(is it (x, y, w, h) or (cx, cy, w, h) instead of corners?)"
        )
    return arr


def box_area(boxes: ArrayLike) -> np.ndarray:
    """Areas ``(x2 - x1) * (y2 - y1)``, shape (N,), of boxes of shape (N, 4).

    >>> box_area([[0, 0, 2, 3], [1, 1, 1, 5]])
    array([6., 0.])
    """
    b = check_boxes(boxes)
    return (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])


def _overlap(lo_a: np.ndarray, hi_a: np.ndarray, lo_b: np.ndarray, hi_b: np.ndarray) -> np.ndarray:
    """Length of the overlap of the intervals [lo_a, hi_a] and [lo_b, hi_b], 0 when apart."""
    length = np.minimum(hi_a, hi_b)
    length -= np.maximum(lo_a, lo_b)  # in place: one temporary of the broadcast shape
    return np.maximum(length, 0, out=length)


def box_iou(boxes_a: ArrayLike, boxes_b: ArrayLike) -> np.ndarray:
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
    # One array per coordinate: a's of shape (N, 1), b's of shape (1, M), so pairs broadcast
    ax1, ay1, ax2, ay2 = a.T[:, :, None]
    bx1, by1, bx2, by2 = np.ascontiguousarray(b.T)[:, None, :]  # contiguous: faster passes
    inter = _overlap(ax1, ax2, bx1, bx2)  # widths of the intersections, (N, M)
    inter *= _overlap(ay1, ay2, by1, by2)  # times their heights
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1)
    union -= inter
    return np.divide(inter, union, out=inter, where=union > 0)  # union 0 means inter 0


def _check_nms(
    boxes: ArrayLike, scores: ArrayLike, iou_threshold: float, labels: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    b = check_boxes(boxes)
    s = as_float_array(scores, "scores")
    check_shape(s, (len(b),), "scores", "(one per box)")
    check_finite(s, "scores")
    threshold = check_probability(iou_threshold, "iou_threshold", allow_one=True)
    cls = np.zeros(len(b), dtype=np.int64) if labels is None else np.asarray(labels)
    if cls.shape != (len(b),) or (cls.size and cls.dtype.kind not in "iub"):
        raise ValueError(
            f"labels must be integers of shape ({len(b)},), got {cls.dtype} of shape {cls.shape}"
        )
    return b, s, threshold, cls


def nms_suppressors(
    boxes: ArrayLike, scores: ArrayLike, iou_threshold: float, labels: ArrayLike | None = None
) -> np.ndarray:
    """Greedy non-maximum suppression, recording which kept box removed each other box.

    Repeat: keep the highest-scoring remaining box, then discard every remaining box
    whose IoU with it is **greater than** ``iou_threshold``. With ``labels``, boxes of
    different classes never suppress each other (the usual per-class NMS). Each step
    computes one row of IoUs: the kept box against the later boxes that overlap it, so
    memory grows linearly with the number of boxes.

    Parameters
    ----------
    boxes : array_like, shape (N, 4)
    scores : array_like, shape (N,)
    iou_threshold : float in [0, 1]
        0 suppresses every box that overlaps a kept one at all; 1 suppresses nothing,
        since an IoU is never greater than 1.
    labels : array_like of int, shape (N,), optional
        Class of each box (bool counts as 0/1).

    Returns
    -------
    suppressor : numpy.ndarray of int64, shape (N,)
        -1 for a kept box; otherwise the index of the kept box that removed it.
        Boxes are visited by decreasing score; equal scores in index order (a stable sort).

    Examples
    --------
    >>> boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]]
    >>> nms_suppressors(boxes, [0.9, 0.8, 0.7], iou_threshold=0.5)   # IoU(0, 1) = 0.68
    array([-1,  0, -1])
    """
    b, s, iou_threshold, cls = _check_nms(boxes, scores, iou_threshold, labels)
    suppressor = np.full(len(b), -1, dtype=np.int64)
    for c in np.unique(cls):  # boxes of different classes never suppress each other
        mine = np.flatnonzero(cls == c)
        order = mine[np.argsort(-s[mine], kind="stable")]  # class c by decreasing score
        ranked, standing = b[order], np.ones(len(order), dtype=bool)
        x1, y1, x2, y2 = np.ascontiguousarray(ranked.T)  # one array per coordinate
        for k in range(len(order)):
            if not standing[k]:
                continue  # box order[k] was removed by a better one
            # The best box still standing is kept. It removes the later boxes whose IoU with it
            # is > iou_threshold >= 0, so only boxes that overlap it at all are candidates.
            r = slice(k + 1, None)
            near = (x1[r] < x2[k]) & (x2[r] > x1[k]) & (y1[r] < y2[k]) & (y2[r] > y1[k])
            rivals = k + 1 + np.flatnonzero(near & standing[r])
            if rivals.size:
                iou = box_iou(ranked[k], ranked.take(rivals, axis=0))[0]  # ranked[rivals], faster
                victims = rivals[iou > iou_threshold]
                standing[victims] = False
                suppressor[order[victims]] = order[k]
    return suppressor


def nms(
    boxes: ArrayLike, scores: ArrayLike, iou_threshold: float, labels: ArrayLike | None = None
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


def _check_anchors(
    sizes: ArrayLike, aspect_ratios: ArrayLike, center: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    checked = []
    for value, name in ((sizes, "sizes"), (aspect_ratios, "aspect_ratios")):
        arr = as_float_array(value, name).ravel()
        check_nonempty(arr, name)
        check_finite(arr, name)
        if np.any(arr <= 0):
            raise ValueError(f"{name} must all be > 0, got {arr.tolist()}")
        checked.append(arr)
    c = as_float_array(center, "center")
    check_shape(c, (2,), "center", "(cx, cy)")
    check_finite(c, "center")
    return checked[0], checked[1], c


def make_anchors(
    sizes: ArrayLike,
    aspect_ratios: ArrayLike,
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
    s, r, c = _check_anchors(sizes, aspect_ratios, center)
    half_w = (s[None, :] / np.sqrt(r[:, None])).ravel() / 2
    half_h = (s[None, :] * np.sqrt(r[:, None])).ravel() / 2
    return np.stack([c[0] - half_w, c[1] - half_h, c[0] + half_w, c[1] + half_h], axis=1)
