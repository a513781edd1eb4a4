"""Kept for old imports: the segmentation metrics live in ``dlnotes.metrics.segmentation``."""

from dlnotes.metrics.segmentation import confusion_matrix, iou_from_confusion, mean_iou

__all__ = ["confusion_matrix", "iou_from_confusion", "mean_iou"]
