"""Ranking metrics of object detection: precision, recall, AP and mAP.

The pipeline for one class: match each detection to a ground-truth box
(``match_detections``), sort the detections by score, cumulate true and false
positives (``precision_recall_curve``) and summarise the curve by one number
(``average_precision``). ``mean_average_precision`` (in
:mod:`dlnotes.metrics.mean_ap`, re-exported here) repeats this for every class
(and IoU threshold) and averages the APs.

Detections with equal scores are taken in their input order (a stable sort),
as in the COCO evaluation code; ``sklearn.metrics`` instead treats a tie as one
threshold, so compare with it only on distinct scores.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.boxes import box_iou, check_boxes
from dlnotes.checks import (
    as_float_array,
    check_choice,
    check_finite,
    check_positive_int,
    check_probability,
    check_rank,
    check_same_shape,
    check_shape,
)

__all__ = [
    "precision_recall_curve",
    "average_precision",
    "match_detections",
    "mean_average_precision",  # noqa: F822  (served by __getattr__ below, from mean_ap)
    "MeanAP",  # noqa: F822
]

Interpolation = Literal["all-point", "101-point", "11-point", "none"]
INTERPOLATIONS = ("all-point", "101-point", "11-point", "none")


def _check_scores(scores: ArrayLike, name: str, n: int | None = None) -> np.ndarray:
    s = as_float_array(scores, name)
    if n is None:
        check_rank(s, 1, name, "(K,)")
    else:
        check_shape(s, (n,), name, "(one per box)")
    check_finite(s, name)
    return s


def _check_ranking(
    scores: ArrayLike, is_true_positive: ArrayLike, n_ground_truth: int
) -> tuple[np.ndarray, np.ndarray, int]:
    s = _check_scores(scores, "scores")
    tp = np.asarray(is_true_positive)
    check_same_shape(s, tp, "scores", "is_true_positive")
    not_01 = (tp != 0) & (tp != 1)
    if not_01.any():
        raise ValueError(
            f"is_true_positive must hold only True/False (or 0/1), got {tp[not_01][0].item()!r}"
        )
    n_gt = check_positive_int(n_ground_truth, "n_ground_truth")
    if tp.sum() > n_gt:
        raise ValueError(
            f"is_true_positive has {int(tp.sum())} true positives, "
            f"more than n_ground_truth = {n_gt}"
        )
    return s, tp.astype(bool), n_gt


def precision_recall_curve(
    scores: ArrayLike, is_true_positive: ArrayLike, n_ground_truth: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision and recall after each detection, in order of decreasing score.

    Parameters
    ----------
    scores : array_like, shape (K,)
        Confidence of each detection of one class.
    is_true_positive : array_like of bool, shape (K,)
        Whether the detection matched a ground-truth box (see ``match_detections``).
    n_ground_truth : int >= 1
        Number of ground-truth boxes of the class, found or not.

    Returns
    -------
    precision, recall, thresholds : numpy.ndarray, each shape (K,)
        After the k-th most confident detection: ``precision[k] = TP_k / (k + 1)``,
        ``recall[k] = TP_k / n_ground_truth``; ``thresholds[k]`` is its score.

    Examples
    --------
    >>> p, r, _ = precision_recall_curve([0.9, 0.8, 0.7], [True, False, True], n_ground_truth=4)
    >>> p.round(3), r
    (array([1.   , 0.5  , 0.667]), array([0.25, 0.25, 0.5 ]))
    """
    s, tp, n_gt = _check_ranking(scores, is_true_positive, n_ground_truth)
    order = np.argsort(-s, kind="stable")
    cum_tp = np.cumsum(tp[order])
    ranks = np.arange(1, len(s) + 1)
    return cum_tp / ranks, cum_tp / n_gt, s[order]


def average_precision(
    scores: ArrayLike,
    is_true_positive: ArrayLike,
    n_ground_truth: int,
    interpolation: Interpolation = "all-point",
) -> float:
    """Average precision (AP) of one class: the area under its precision-recall curve.

    Parameters
    ----------
    scores, is_true_positive, n_ground_truth
        As in ``precision_recall_curve``: shapes (K,), (K,) and an int >= 1.
    interpolation : {"all-point", "101-point", "11-point", "none"}
        With ``p_interp(r) = max{precision[k] : recall[k] >= r}`` (0 if no such k):

        * ``"all-point"`` (PASCAL VOC 2010 and later):
          ``sum_k (recall[k] - recall[k-1]) * p_interp(recall[k])``,
          the exact area under the monotone envelope of the curve;
        * ``"101-point"`` (COCO): mean of ``p_interp(r)`` for r = 0, 0.01, ..., 1;
        * ``"11-point"`` (PASCAL VOC 2007): mean of ``p_interp(r)`` for r = 0, 0.1, ..., 1;
        * ``"none"``: ``sum_k (recall[k] - recall[k-1]) * precision[k]`` without the
          envelope, the definition of ``sklearn.metrics.average_precision_score``.

    Returns
    -------
    float in [0, 1]
        0 when there are no detections.

    Examples
    --------
    >>> average_precision([0.9, 0.8, 0.7], [True, False, True], n_ground_truth=2)  # 0.5 + 0.5*2/3
    0.8333333333333333
    """
    check_choice(interpolation, "interpolation", INTERPOLATIONS)
    precision, recall, _ = precision_recall_curve(scores, is_true_positive, n_ground_truth)
    if precision.size == 0:
        return 0.0
    if interpolation == "none":
        return float(np.sum(np.diff(recall, prepend=0.0) * precision))
    envelope = np.maximum.accumulate(precision[::-1])[::-1]  # envelope[k] = max(precision[k:])
    if interpolation == "all-point":
        return float(np.sum(np.diff(recall, prepend=0.0) * envelope))
    levels = np.linspace(0.0, 1.0, 101 if interpolation == "101-point" else 11)
    # recall is non-decreasing, so the first k with recall[k] >= r gives max(precision[k:])
    first = np.searchsorted(recall, levels, side="left")
    padded = np.append(envelope, 0.0)  # r above the highest recall: precision 0
    return float(np.mean(padded[first]))


def _check_matching(
    det_boxes: ArrayLike, det_scores: ArrayLike, gt_boxes: ArrayLike, iou_threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    det = check_boxes(det_boxes, "det_boxes")
    gt = check_boxes(gt_boxes, "gt_boxes")
    s = _check_scores(det_scores, "det_scores", len(det))
    return det, s, gt, check_probability(iou_threshold, "iou_threshold", allow_one=True)


def match_detections(
    det_boxes: ArrayLike, det_scores: ArrayLike, gt_boxes: ArrayLike, iou_threshold: float = 0.5
) -> np.ndarray:
    """Mark each detection of one class in one image as a true or a false positive.

    Detections are visited by decreasing score (stable). Each takes the still unmatched
    ground-truth box with the highest IoU, if that IoU is ``>= iou_threshold`` (the COCO
    rule; the PASCAL VOC code instead looks only at the overall best box and calls the
    detection a false positive when that box is taken). A ground-truth box is matched at
    most once, so a second detection of the same object is a false positive.

    Parameters
    ----------
    det_boxes : array_like, shape (K, 4)
    det_scores : array_like, shape (K,)
    gt_boxes : array_like, shape (G, 4)
    iou_threshold : float in [0, 1]

    Returns
    -------
    is_true_positive : numpy.ndarray of bool, shape (K,), in the input order

    Examples
    --------
    >>> gt = [[0, 0, 10, 10]]
    >>> match_detections([[0, 0, 10, 9], [1, 0, 10, 10]], [0.6, 0.9], gt)  # 0.6: a duplicate
    array([False,  True])
    """
    det, s, gt, iou_threshold = _check_matching(det_boxes, det_scores, gt_boxes, iou_threshold)
    iou = box_iou(det, gt)
    taken = np.zeros(len(gt), dtype=bool)
    is_tp = np.zeros(len(det), dtype=bool)
    for d in np.argsort(-s, kind="stable"):
        candidates = np.where(taken, -1.0, iou[d])
        if candidates.size and candidates.max() >= iou_threshold:
            g = int(np.argmax(candidates))
            taken[g] = is_tp[d] = True
    return is_tp


_MOVED_TO_MEAN_AP = ("mean_average_precision", "MeanAP")


def __getattr__(name: str) -> Any:
    """``mean_average_precision`` and ``MeanAP``, which moved to dlnotes.metrics.mean_ap.

    Loaded on first use: mean_ap builds on this module, so importing it here at the top
    would be circular.
    """
    if name in _MOVED_TO_MEAN_AP:
        from dlnotes.metrics import mean_ap

        return getattr(mean_ap, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
