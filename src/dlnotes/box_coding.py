"""Boxes as offsets against anchors, and which anchor is responsible for which object.

A one-stage detector does not predict corners directly. For each anchor
``(x1, y1, x2, y2)`` with centre ``(a_x, a_y)`` and size ``(a_w, a_h)`` it predicts
offsets ``(t_x, t_y, t_w, t_h)`` (the encoding of SSD and Faster R-CNN)::

    t_x = (c_x - a_x) / a_w / v_x        t_w = log(w / a_w) / v_w
    t_y = (c_y - a_y) / a_h / v_y        t_h = log(h / a_h) / v_h

where ``(c_x, c_y, w, h)`` is the box's centre and size and ``v`` are the
"variances", fixed scales that bring the targets to about unit size
(SSD uses ``(0.1, 0.1, 0.2, 0.2)``). Dividing by the anchor's size makes the
offsets scale-free; the logarithm makes a box twice as large and one half as
large equally far from the anchor. Boxes are rows ``(x1, y1, x2, y2)`` as in
:mod:`dlnotes.boxes`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.boxes import box_iou, check_boxes, make_anchors
from dlnotes.checks import (
    as_float_array,
    check_finite,
    check_number,
    check_positive_int,
    check_probability,
    check_rank,
    check_shape,
)

__all__ = [
    "SSD_VARIANCES",
    "encode_boxes",
    "decode_boxes",
    "match_anchors",
    "grid_anchors",
    "anchor_targets",
]

SSD_VARIANCES = (0.1, 0.1, 0.2, 0.2)
MAX_LOG_RATIO = float(np.log(1000.0 / 16))  # decode clamps t_w * v_w and t_h * v_h here


def _check_positive_size(boxes: np.ndarray, name: str, why: str = "") -> None:
    flat = np.flatnonzero(np.any(boxes[:, 2:] <= boxes[:, :2], axis=1))
    if flat.size:
        raise ValueError(
            f"{name} must have width and height > 0{why}, "
            f"got row {flat[0]} = {boxes[flat[0]].tolist()}"
        )


def _check_coding(
    values: ArrayLike, anchors: ArrayLike, variances: ArrayLike, name: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate boxes or offsets (N, 4) against anchors (N, 4); return them in one float dtype."""
    a = check_boxes(anchors, "anchors")
    _check_positive_size(a, "anchors")
    if name == "boxes":
        v = check_boxes(values, "boxes")
        _check_positive_size(v, "boxes", " to be encoded")
    else:
        v = as_float_array(values, name)
        check_rank(v, 2, name, "(N, 4) with rows (t_x, t_y, t_w, t_h)")
        check_shape(v, (v.shape[0], 4), name, "(N, 4) with rows (t_x, t_y, t_w, t_h)")
        check_finite(v, name)
    if len(v) != len(a):
        raise ValueError(
            f"{name} and anchors must have one row per anchor, got {len(v)} and {len(a)} rows"
        )
    var = as_float_array(variances, "variances")
    check_shape(var, (4,), "variances", "(v_x, v_y, v_w, v_h)")
    check_finite(var, "variances")
    if np.any(var <= 0):
        raise ValueError(f"variances must all be > 0, got {var.tolist()}")
    dtype = np.result_type(v.dtype, a.dtype)
    return v.astype(dtype, copy=False), a.astype(dtype, copy=False), var.astype(dtype)


def _centre_size(boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centres (N, 2) and sizes (N, 2) of boxes (N, 4)."""
    return (boxes[:, :2] + boxes[:, 2:]) / 2, boxes[:, 2:] - boxes[:, :2]


def encode_boxes(
    boxes: ArrayLike, anchors: ArrayLike, variances: ArrayLike = SSD_VARIANCES
) -> np.ndarray:
    """Offsets ``(t_x, t_y, t_w, t_h)`` of each box against its anchor.

    Parameters
    ----------
    boxes : array_like, shape (N, 4)
        Rows ``(x1, y1, x2, y2)`` with width and height > 0 (the log needs them).
    anchors : array_like, shape (N, 4)
        The anchor of each box, width and height > 0.
    variances : array_like, shape (4,), each > 0

    Returns
    -------
    offsets : numpy.ndarray, shape (N, 4)
        In the float dtype of boxes and anchors (float32 stays float32).

    Examples
    --------
    >>> encode_boxes([[16, 8, 32, 40]], [[0, 0, 16, 16]], variances=(1, 1, 1, 1))  # h = 2 a_h
    array([[1.        , 1.        , 0.        , 0.69314718]])
    """
    b, a, var = _check_coding(boxes, anchors, variances, "boxes")
    b_centre, b_size = _centre_size(b)
    a_centre, a_size = _centre_size(a)
    t_xy = (b_centre - a_centre) / a_size
    t_wh = np.log(b_size / a_size)
    return np.concatenate([t_xy, t_wh], axis=1) / var


def decode_boxes(
    offsets: ArrayLike, anchors: ArrayLike, variances: ArrayLike = SSD_VARIANCES
) -> np.ndarray:
    """Boxes ``(x1, y1, x2, y2)`` from offsets against anchors: the inverse of ``encode_boxes``.

    Parameters
    ----------
    offsets : array_like, shape (N, 4)
        Rows ``(t_x, t_y, t_w, t_h)``, e.g. a network's output.
    anchors : array_like, shape (N, 4)
        Width and height > 0.
    variances : array_like, shape (4,), each > 0
        The same as for encoding.

    Returns
    -------
    boxes : numpy.ndarray, shape (N, 4)
        ``t_w * v_w`` and ``t_h * v_h`` are clamped at ``log(1000 / 16)`` first (as in
        torchvision), so a wild prediction gives a box at most 62.5 times its anchor,
        never an infinite one.

    Examples
    --------
    >>> decode_boxes([[1.0, 0.5, 0.0, np.log(2)]], [[0, 0, 16, 16]], variances=(1, 1, 1, 1))
    array([[16.,  0., 32., 32.]])
    """
    t, a, var = _check_coding(offsets, anchors, variances, "offsets")
    t = t * var
    a_centre, a_size = _centre_size(a)
    centre = a_centre + t[:, :2] * a_size
    size = a_size * np.exp(np.minimum(t[:, 2:], MAX_LOG_RATIO))
    return np.concatenate([centre - size / 2, centre + size / 2], axis=1)


def _check_matching(
    anchors: ArrayLike, gt_boxes: ArrayLike, iou_threshold: float
) -> tuple[np.ndarray, np.ndarray, float]:
    g = np.asarray(gt_boxes)
    return (
        check_boxes(anchors, "anchors"),
        check_boxes(g.reshape(0, 4) if g.size == 0 else g, "gt_boxes"),  # no objects: (0, 4)
        check_probability(iou_threshold, "iou_threshold", allow_one=True),
    )


def match_anchors(
    anchors: ArrayLike, gt_boxes: ArrayLike, iou_threshold: float = 0.5
) -> np.ndarray:
    """Assign each anchor the ground-truth box it should predict, or -1 for background.

    An anchor takes the box with which its IoU is largest, if that IoU is
    ``>= iou_threshold``. In addition, every box claims the anchor that overlaps it
    most, even below the threshold, so that no object is left without an anchor
    (when two boxes claim the same anchor, the later box wins).

    Parameters
    ----------
    anchors : array_like, shape (A, 4)
    gt_boxes : array_like, shape (G, 4), G may be 0
    iou_threshold : float in [0, 1]

    Returns
    -------
    matched : numpy.ndarray of int64, shape (A,)
        Index into ``gt_boxes`` of each anchor's box; -1 for a negative (background) anchor.

    Examples
    --------
    >>> anchors = [[0, 0, 10, 10], [10, 0, 20, 10], [30, 30, 40, 40]]
    >>> match_anchors(anchors, [[1, 0, 11, 10], [32, 30, 44, 40]], iou_threshold=0.7)
    array([ 0, -1,  1])
    """
    a, g, threshold = _check_matching(anchors, gt_boxes, iou_threshold)
    matched = np.full(len(a), -1, dtype=np.int64)
    if len(g) == 0 or len(a) == 0:
        return matched
    iou = box_iou(a, g)  # (A, G)
    best_gt = iou.argmax(axis=1)
    good = iou[np.arange(len(a)), best_gt] >= threshold
    matched[good] = best_gt[good]
    matched[iou.argmax(axis=0)] = np.arange(len(g))  # each box keeps its best anchor
    return matched


def grid_anchors(
    feature_size: int, stride: float, sizes: ArrayLike, aspect_ratios: ArrayLike = (1.0,)
) -> np.ndarray:
    """The anchors of a square feature map: ``make_anchors`` at the centre of every cell.

    Parameters
    ----------
    feature_size : int >= 1
        The feature map has ``feature_size × feature_size`` cells.
    stride : float > 0
        Pixels per cell; cell (i, j) is centred at ``((j + 0.5) * stride, (i + 0.5) * stride)``.
    sizes, aspect_ratios : array_like
        As for :func:`dlnotes.boxes.make_anchors`, K = R * S anchors per cell.

    Returns
    -------
    anchors : numpy.ndarray, shape (feature_size**2 * K, 4)
        Row ``(i * feature_size + j) * K + k`` is anchor k of cell (i, j): the order of a
        (N, K * D, H, W) head output permuted to (N, H, W, K, D) and reshaped to (N, H*W*K, D).

    Examples
    --------
    >>> grid_anchors(2, stride=8, sizes=[8])
    array([[ 0.,  0.,  8.,  8.],
           [ 8.,  0., 16.,  8.],
           [ 0.,  8.,  8., 16.],
           [ 8.,  8., 16., 16.]])
    """
    n = check_positive_int(feature_size, "feature_size")
    stride = check_number(stride, "stride", positive=True)
    base = make_anchors(sizes, aspect_ratios)  # (K, 4), centred at (0, 0); checks the sizes
    centres = (np.arange(n) + 0.5) * stride
    cy, cx = np.meshgrid(centres, centres, indexing="ij")  # (n, n): row i, column j
    shifts = np.stack([cx, cy, cx, cy], axis=-1).reshape(-1, 1, 4)  # (n*n, 1, 4)
    return (shifts + base[None]).reshape(-1, 4)


def _check_labels(gt_boxes: ArrayLike, gt_labels: ArrayLike) -> np.ndarray:
    n_boxes = np.asarray(gt_boxes).size // 4  # the boxes themselves are checked by match_anchors
    labels = np.asarray(gt_labels)
    if labels.shape != (n_boxes,) or (labels.size and labels.dtype.kind not in "iu"):
        raise ValueError(
            f"gt_labels must be {n_boxes} integers (one per box), "
            f"got {labels.dtype} of shape {labels.shape}"
        )
    return labels.astype(np.int64)


def anchor_targets(
    anchors: ArrayLike,
    gt_boxes: ArrayLike,
    gt_labels: ArrayLike,
    iou_threshold: float = 0.5,
    variances: ArrayLike = SSD_VARIANCES,
) -> tuple[np.ndarray, np.ndarray]:
    """Training targets of one image: each anchor's class (or -1) and its box offsets.

    Parameters
    ----------
    anchors : array_like, shape (A, 4)
    gt_boxes : array_like, shape (G, 4), G may be 0
    gt_labels : array_like of int, shape (G,)
    iou_threshold, variances
        As for ``match_anchors`` and ``encode_boxes``.

    Returns
    -------
    classes : numpy.ndarray of int64, shape (A,)
        The class of the box each anchor matched, -1 for background.
    offsets : numpy.ndarray of float32, shape (A, 4)
        ``encode_boxes`` of the matched box; 0 for background anchors (no box to learn).

    Examples
    --------
    >>> classes, offsets = anchor_targets([[0, 0, 8, 8], [8, 0, 16, 8]], [[1, 0, 9, 8]], [2])
    >>> classes, offsets[0].round(2)
    (array([ 2, -1]), array([1.25, 0.  , 0.  , 0.  ], dtype=float32))
    """
    labels = _check_labels(gt_boxes, gt_labels)
    matched = match_anchors(anchors, gt_boxes, iou_threshold)
    positive = matched >= 0
    classes = np.full(len(matched), -1, dtype=np.int64)
    classes[positive] = labels[matched[positive]]
    offsets = np.zeros((len(matched), 4), dtype=np.float32)
    if positive.any():
        a, g = check_boxes(anchors, "anchors"), check_boxes(gt_boxes, "gt_boxes")
        offsets[positive] = encode_boxes(g[matched[positive]], a[positive], variances)
    return classes, offsets
