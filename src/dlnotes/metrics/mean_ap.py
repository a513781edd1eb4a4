"""Mean average precision (mAP): the AP of every class and IoU threshold, averaged.

For each class and IoU threshold, the detections of all images are matched to the
ground truth (:func:`dlnotes.metrics.detection.match_detections`) and ranked into one
AP (:func:`dlnotes.metrics.detection.average_precision`); ``mean_average_precision``
averages these APs over the classes that have ground truth.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.boxes import check_boxes
from dlnotes.checks import (
    as_float_array,
    check_choice,
    check_nonempty,
    check_positive_int,
    check_probability,
)
from dlnotes.metrics.detection import (
    INTERPOLATIONS,
    Interpolation,
    _check_scores,
    average_precision,
    match_detections,
)

__all__ = ["mean_average_precision", "MeanAP"]


class MeanAP(NamedTuple):
    """Result of ``mean_average_precision``.

    ``ap[t, c]`` is the AP of class c at IoU threshold t (NaN for a class with no ground
    truth); ``map`` is the mean over all finite entries.
    """

    map: float
    ap: np.ndarray
    iou_thresholds: np.ndarray


Image = tuple[np.ndarray, np.ndarray, np.ndarray]  # boxes (K, 4), labels (K,), scores (K,)


def _image_arrays(item: dict, kind: str, index: int, num_classes: int) -> Image:
    where = f"{kind}[{index}]"
    if not isinstance(item, dict):
        raise TypeError(
            f"{where} must be a dict with 'boxes' and 'labels', got {type(item).__name__}"
        )
    needed = {"boxes", "labels"} | ({"scores"} if kind == "detections" else set())
    if needed - set(item):
        raise ValueError(
            f"{where} lacks the keys {sorted(needed - set(item))}; it has {sorted(item)}"
        )
    boxes = np.asarray(item["boxes"])
    boxes = check_boxes(boxes.reshape(0, 4) if boxes.size == 0 else boxes, f"{where}['boxes']")
    labels = np.asarray(item["labels"])
    if labels.shape != (len(boxes),) or (labels.size and labels.dtype.kind not in "biu"):
        raise ValueError(
            f"{where}['labels'] must be {len(boxes)} integers, "
            f"got {labels.dtype} of shape {labels.shape}"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"{where}['labels'] must lie in [0, {num_classes - 1}], got {labels.tolist()}"
        )
    scores = item.get("scores", np.zeros(len(boxes)))  # ground truth has no scores
    return boxes, labels.astype(np.int64), _check_scores(scores, f"{where}['scores']", len(boxes))


def _check_map(
    detections: Sequence[dict],
    ground_truths: Sequence[dict],
    num_classes: int,
    iou_thresholds: float | ArrayLike,
    interpolation: str,
) -> tuple[list[tuple[Image, Image]], int, np.ndarray]:
    num_classes = check_positive_int(num_classes, "num_classes")
    check_choice(interpolation, "interpolation", INTERPOLATIONS)
    if len(detections) != len(ground_truths):
        raise ValueError(
            f"detections and ground_truths must cover the same images, got {len(detections)} "
            f"and {len(ground_truths)} entries"
        )
    thresholds = np.atleast_1d(as_float_array(iou_thresholds, "iou_thresholds")).ravel()
    check_nonempty(thresholds, "iou_thresholds")
    for t in thresholds:
        check_probability(float(t), "iou_thresholds", allow_one=True)
    images = [
        (
            _image_arrays(det, "detections", i, num_classes),
            _image_arrays(gt, "ground_truths", i, num_classes),
        )
        for i, (det, gt) in enumerate(zip(detections, ground_truths))
    ]
    return images, num_classes, thresholds


def mean_average_precision(
    detections: Sequence[dict],
    ground_truths: Sequence[dict],
    num_classes: int,
    iou_thresholds: float | ArrayLike = 0.5,
    interpolation: Interpolation = "all-point",
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
    iou_thresholds : float or array_like of floats in [0, 1], shape (T,), T >= 1
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
    >>> dets = [{"boxes": [[0, 0, 10, 10], [50, 50, 60, 60]], "scores": [0.9, 0.8],
    ...          "labels": [0, 1]}]
    >>> mean_average_precision(dets, gts, num_classes=2).ap       # class 1 has no ground truth
    array([[ 1., nan]])
    """
    images, num_classes, thresholds = _check_map(
        detections, ground_truths, num_classes, iou_thresholds, interpolation
    )
    ap = np.full((len(thresholds), num_classes), np.nan)
    for c in range(num_classes):
        n_gt = sum(int(np.sum(g_labels == c)) for _, (_, g_labels, _) in images)
        if n_gt == 0:
            continue  # AP is undefined without ground truth; COCO skips such classes as well
        for t, threshold in enumerate(thresholds):
            scores, hits = [], []  # the detections of class c in all images, and their verdicts
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
