"""Ranking metrics of object detection: precision, recall, AP and mAP.

The pipeline for one class: match each detection to a ground-truth box
(``match_detections``), sort the detections by score, cumulate true and false
positives (``precision_recall_curve``) and summarise the curve by one number
(``average_precision``). ``mean_average_precision`` repeats this for every
class (and IoU threshold) and averages the APs.

Detections with equal scores are taken in their input order (a stable sort),
as in the COCO evaluation code; ``sklearn.metrics`` instead treats a tie as one
threshold, so compare with it only on distinct scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from dlnotes.checks import as_float_array, check_finite, check_positive_int, check_probability
from dlnotes.boxes import box_iou, check_boxes

__all__ = [
    "precision_recall_curve",
    "average_precision",
    "match_detections",
    "mean_average_precision",
    "MeanAP",
]

INTERPOLATIONS = ("all-point", "101-point", "11-point", "none")


def _check_ranking(scores: object, is_true_positive: object, n_ground_truth: object):
    s = as_float_array(scores, "scores")
    if s.ndim != 1:
        raise ValueError(f"scores must have shape (K,), got {s.shape}")
    check_finite(s, "scores")
    tp = np.asarray(is_true_positive)
    if tp.shape != s.shape:
        raise ValueError(
            f"is_true_positive must have the shape of scores, {s.shape}, got {tp.shape}"
        )
    if tp.size and not np.all((tp == 0) | (tp == 1)):
        raise ValueError(
            f"is_true_positive must hold only True/False (or 0/1), got {tp[(tp != 0) & (tp != 1)][0].item()!r}"
        )
    n_gt = check_positive_int(n_ground_truth, "n_ground_truth")
    if tp.sum() > n_gt:
        raise ValueError(
            f"is_true_positive has {int(tp.sum())} true positives, more than n_ground_truth = {n_gt}"
        )
    return s, tp.astype(bool), n_gt


def precision_recall_curve(
    scores: object, is_true_positive: object, n_ground_truth: int
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
    scores: object, is_true_positive: object, n_ground_truth: int, interpolation: str = "all-point"
) -> float:
    """Average precision (AP) of one class: the area under its precision-recall curve.

    Parameters
    ----------
    scores, is_true_positive, n_ground_truth
        As in ``precision_recall_curve``.
    interpolation : {"all-point", "101-point", "11-point", "none"}
        With ``p_interp(r) = max{precision[k] : recall[k] >= r}`` (0 if no such k):

        * ``"all-point"`` (PASCAL VOC 2010 and later): ``sum_k (recall[k] - recall[k-1]) * p_interp(recall[k])``,
          the exact area under the monotone envelope of the curve;
        * ``"101-point"`` (COCO): mean of ``p_interp(r)`` for r = 0, 0.01, ..., 1;
        * ``"11-point"`` (PASCAL VOC 2007): mean of ``p_interp(r)`` for r = 0, 0.1, ..., 1;
        * ``"none"``: ``sum_k (recall[k] - recall[k-1]) * precision[k]`` without the envelope,
          the definition of ``sklearn.metrics.average_precision_score``.

    Returns
    -------
    float in [0, 1]
        0 when there are no detections.

    Examples
    --------
    >>> average_precision([0.9, 0.8, 0.7], [True, False, True], n_ground_truth=2)   # 0.5*1 + 0.5*2/3
    0.8333333333333333
    """
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"interpolation must be one of {INTERPOLATIONS}, got {interpolation!r}")
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


def match_detections(
    det_boxes: object, det_scores: object, gt_boxes: object, iou_threshold: float = 0.5
) -> np.ndarray:
    """Mark each detection of one class in one image as a true or a false positive.

    Detections are visited by decreasing score (stable). Each takes the still unmatched
    ground-truth box with the highest IoU, if that IoU is ``>= iou_threshold`` (the COCO rule;
    the PASCAL VOC code instead looks only at the overall best box and calls the detection a false
    positive when that box is taken). A ground-truth box is matched at most once, so a second
    detection of the same object is a false positive.

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
    >>> match_detections([[0, 0, 10, 9], [1, 0, 10, 10]], [0.6, 0.9], gt)   # the duplicate with 0.6 is FP
    array([False,  True])
    """
    det = check_boxes(det_boxes, "det_boxes")
    gt = check_boxes(gt_boxes, "gt_boxes")
    s = as_float_array(det_scores, "det_scores")
    if s.shape != (len(det),):
        raise ValueError(
            f"det_scores must have shape ({len(det)},), one per detection, got {s.shape}"
        )
    check_finite(s, "det_scores")
    iou_threshold = check_probability(iou_threshold, "iou_threshold", allow_one=True)
    iou = box_iou(det, gt)
    taken = np.zeros(len(gt), dtype=bool)
    is_tp = np.zeros(len(det), dtype=bool)
    for d in np.argsort(-s, kind="stable"):
        candidates = np.where(taken, -1.0, iou[d])
        if candidates.size and candidates.max() >= iou_threshold:
            g = int(np.argmax(candidates))
            taken[g] = is_tp[d] = True
    return is_tp


class MeanAP(NamedTuple):
    """Result of ``mean_average_precision``.

    ``ap[t, c]`` is the AP of class c at IoU threshold t (NaN for a class with no ground truth);
    ``map`` is the mean over all finite entries.
    """

    map: float
    ap: np.ndarray
    iou_thresholds: np.ndarray


def _image_arrays(
    item: object, kind: str, index: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    if not isinstance(item, dict):
        raise TypeError(
            f"{kind}[{index}] must be a dict with 'boxes' and 'labels', got {type(item).__name__}"
        )
    missing = {"boxes", "labels"} - set(item) | (
        {"scores"} - set(item) if kind == "detections" else set()
    )
    if missing:
        raise ValueError(f"{kind}[{index}] lacks the keys {sorted(missing)}; it has {sorted(item)}")
    boxes = np.asarray(item["boxes"])
    boxes = check_boxes(
        boxes.reshape(0, 4) if boxes.size == 0 else boxes, f"{kind}[{index}]['boxes']"
    )
    labels = np.asarray(item["labels"])
    if labels.shape != (len(boxes),) or (labels.size and labels.dtype.kind not in "iu"):
        raise ValueError(
            f"{kind}[{index}]['labels'] must be {len(boxes)} integers, got {labels.dtype} of shape {labels.shape}"
        )
    scores = None
    if kind == "detections":
        scores = as_float_array(item["scores"], f"{kind}[{index}]['scores']")
        if scores.shape != (len(boxes),):
            raise ValueError(
                f"{kind}[{index}]['scores'] must have shape ({len(boxes)},), got {scores.shape}"
            )
    return boxes, labels, scores


def mean_average_precision(
    detections: Sequence[dict],
    ground_truths: Sequence[dict],
    num_classes: int,
    iou_thresholds: object = 0.5,
    interpolation: str = "all-point",
) -> MeanAP:
    """mAP: the AP of every class (at every IoU threshold), averaged.

    Parameters
    ----------
    detections : list of dict, one per image
        ``{"boxes": (K, 4), "scores": (K,), "labels": (K,) int}``.
    ground_truths : list of dict, one per image, same order
        ``{"boxes": (G, 4), "labels": (G,) int}``.
    num_classes : int
        Labels run from 0 to ``num_classes - 1``.
    iou_thresholds : float or sequence of floats
        0.5 gives PASCAL VOC's mAP@0.5; ``np.linspace(0.5, 0.95, 10)`` with
        ``interpolation="101-point"`` gives COCO's AP@[.5:.95].
    interpolation : str
        See ``average_precision``.

    Returns
    -------
    MeanAP
        ``map``, the per-class ``ap`` of shape (T, num_classes) and the thresholds.

    Examples
    --------
    >>> gts = [{"boxes": [[0, 0, 10, 10]], "labels": [0]}]
    >>> dets = [{"boxes": [[0, 0, 10, 10], [50, 50, 60, 60]], "scores": [0.9, 0.8], "labels": [0, 1]}]
    >>> mean_average_precision(dets, gts, num_classes=2).ap       # class 1 has no ground truth
    array([[ 1., nan]])
    """
    num_classes = check_positive_int(num_classes, "num_classes")
    if len(detections) != len(ground_truths):
        raise ValueError(
            f"detections and ground_truths must cover the same images, got {len(detections)} "
            f"and {len(ground_truths)} entries"
        )
    thresholds = np.atleast_1d(as_float_array(iou_thresholds, "iou_thresholds")).ravel()
    for t in thresholds:
        check_probability(float(t), "iou_thresholds", allow_one=True)
    images = []
    for i, (det, gt) in enumerate(zip(detections, ground_truths)):
        det_arrays, gt_arrays = (
            _image_arrays(det, "detections", i),
            _image_arrays(gt, "ground_truths", i),
        )
        for labels, kind in ((det_arrays[1], "detections"), (gt_arrays[1], "ground_truths")):
            if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
                raise ValueError(
                    f"{kind}[{i}]['labels'] must lie in [0, {num_classes - 1}], got {labels.tolist()}"
                )
        images.append((det_arrays, gt_arrays))
    ap = np.full((len(thresholds), num_classes), np.nan)
    for c in range(num_classes):
        n_gt = sum(int(np.sum(g[1] == c)) for _, g in images)
        if n_gt == 0:
            continue  # AP is undefined without ground truth; COCO skips such classes as well
        for t, threshold in enumerate(thresholds):
            scores, hits = [], []
            for (d_boxes, d_labels, d_scores), (g_boxes, g_labels, _) in images:
                mine = d_labels == c
                scores.append(d_scores[mine])
                hits.append(
                    match_detections(
                        d_boxes[mine], d_scores[mine], g_boxes[g_labels == c], threshold
                    )
                )
            ap[t, c] = average_precision(
                np.concatenate(scores), np.concatenate(hits), n_gt, interpolation
            )
    finite = ap[np.isfinite(ap)]
    return MeanAP(float(finite.mean()) if finite.size else float("nan"), ap, thresholds)
