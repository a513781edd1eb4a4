"""Evaluation metrics: detection (PR, AP, mAP), segmentation (mIoU), regression, distributions.

Every metric of the course lives here, whichever chapter uses it:

* ``dlnotes.metrics.detection``: ``precision_recall_curve``, ``average_precision``,
  ``match_detections``;
* ``dlnotes.metrics.mean_ap``: ``mean_average_precision`` and its result ``MeanAP``;
* ``dlnotes.metrics.segmentation``: ``confusion_matrix``, ``iou_from_confusion``, ``mean_iou``;
* ``dlnotes.metrics.regression``: ``mean_squared_error`` (no factor ½);
* ``dlnotes.metrics.distribution``: ``wasserstein_1d``, ``mode_coverage`` (is a GAN's output
  like its data?).

Box geometry (IoU of two boxes, NMS, anchors) is in ``dlnotes.boxes``.
"""

from dlnotes.metrics.detection import average_precision, match_detections, precision_recall_curve
from dlnotes.metrics.distribution import ModeCoverage, mode_coverage, wasserstein_1d
from dlnotes.metrics.mean_ap import MeanAP, mean_average_precision
from dlnotes.metrics.regression import mean_squared_error
from dlnotes.metrics.segmentation import confusion_matrix, iou_from_confusion, mean_iou

__all__ = [
    "precision_recall_curve",
    "average_precision",
    "match_detections",
    "mean_average_precision",
    "MeanAP",
    "confusion_matrix",
    "iou_from_confusion",
    "mean_iou",
    "mean_squared_error",
    "wasserstein_1d",
    "mode_coverage",
    "ModeCoverage",
]
