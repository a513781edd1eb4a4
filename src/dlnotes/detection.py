"""Kept for old imports: box geometry (IoU, NMS, anchors) lives in ``dlnotes.boxes``."""

from dlnotes.boxes import box_area, box_iou, check_boxes, make_anchors, nms, nms_suppressors

__all__ = ["check_boxes", "box_area", "box_iou", "nms", "nms_suppressors", "make_anchors"]
