"""A tiny one-stage detector in PyTorch (SSD-style heads on two feature maps) and its loss.

This module uses torch: each function that needs it imports it when called, so
``import dlnotes.detector`` stays cheap. ``decode_detections`` is numpy only.

The network maps (N, 3, S, S) images to, for every anchor of
``detector_anchors(S)``, class logits (one sigmoid per class, RetinaNet-style:
background is "no class fires") and box offsets against the anchor
(:mod:`dlnotes.box_coding`).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.box_coding import SSD_VARIANCES, decode_boxes, grid_anchors
from dlnotes.boxes import nms
from dlnotes.checks import (
    as_float_array,
    check_finite,
    check_positive_int,
    check_probability,
    check_rank,
)

__all__ = [
    "STRIDES",
    "ANCHOR_SIZES",
    "ASPECT_RATIOS",
    "detector_anchors",
    "build_tiny_detector",
    "detection_loss",
    "decode_detections",
]

STRIDES = (4, 8)  # pixels per cell of the two feature maps
ANCHOR_SIZES = ((10.0,), (20.0,))  # anchor sizes on each map
ASPECT_RATIOS = (0.5, 1.0, 2.0)  # height / width


def detector_anchors(image_size: int = 48) -> np.ndarray:
    """All anchors of the tiny detector, in the order of its outputs: shape (A, 4).

    >>> detector_anchors(48).shape   # 12*12*3 on the stride-4 map + 6*6*3 on the stride-8 map
    (540, 4)
    """
    size = check_positive_int(image_size, "image_size", minimum=max(STRIDES))
    return np.concatenate(
        [
            grid_anchors(size // stride, stride, sizes, ASPECT_RATIOS)
            for stride, sizes in zip(STRIDES, ANCHOR_SIZES)
        ]
    )


@functools.cache
def _detector_class() -> type:
    import torch
    from torch import nn

    def conv(c_in: int, c_out: int, stride: int) -> nn.Module:
        return nn.Sequential(
            nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()
        )

    class TinyDetector(nn.Module):
        """Backbone to stride 4 and 8; a 3x3 conv head on each map predicts C + 4 per anchor."""

        def __init__(self, num_classes: int, width: int, prior: float):
            super().__init__()
            k = len(ASPECT_RATIOS) * len(ANCHOR_SIZES[0])  # anchors per cell
            self.num_classes = num_classes
            self.stage4 = nn.Sequential(  # 48 -> 24 -> 12: stride 4
                conv(3, width, 2), conv(width, 2 * width, 2), conv(2 * width, 2 * width, 1)
            )
            self.stage8 = nn.Sequential(  # 12 -> 6: stride 8
                conv(2 * width, 4 * width, 2), conv(4 * width, 4 * width, 1)
            )
            self.heads = nn.ModuleList(
                nn.Conv2d(c, k * (num_classes + 4), 3, 1, 1) for c in (2 * width, 4 * width)
            )
            for head in self.heads:  # start every anchor at P(object) = prior (RetinaNet)
                nn.init.normal_(head.weight, std=0.01)
                bias = head.bias.view(k, num_classes + 4)
                nn.init.zeros_(bias)
                nn.init.constant_(bias[:, :num_classes], -float(np.log((1 - prior) / prior)))

        def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            f4 = self.stage4(x)
            f8 = self.stage8(f4)
            # each head: (N, K * (C + 4), H, W) -> (N, H, W, K, C + 4) -> (N, H * W * K, C + 4)
            outputs = [
                head(f).permute(0, 2, 3, 1).reshape(len(x), -1, self.num_classes + 4)
                for head, f in zip(self.heads, (f4, f8))
            ]
            out = torch.cat(outputs, dim=1)  # (N, A, C + 4), anchors in detector_anchors order
            return out[..., : self.num_classes], out[..., self.num_classes :]

    return TinyDetector


def build_tiny_detector(num_classes: int = 3, width: int = 8, prior: float = 0.01) -> Any:
    """The tiny detector as a ``torch.nn.Module``: ``model(x) -> (class_logits, offsets)``.

    Parameters
    ----------
    num_classes : int >= 1
    width : int >= 1
        Channels of the first convolutions (the later ones have twice as many).
    prior : float in (0, 1)
        Initial probability of every class at every anchor: the bias ``-log((1 - p) / p)``
        keeps the many background anchors from swamping the first steps.

    Returns
    -------
    torch.nn.Module
        For x of shape (N, 3, S, S), S divisible by 8: class logits (N, A, C) and
        offsets (N, A, 4), anchor a being row a of ``detector_anchors(S)``. The weights
        come from torch's global generator: seed it with ``torch.manual_seed``.

    Examples
    --------
    >>> import torch
    >>> _ = torch.manual_seed(0)
    >>> logits, offsets = build_tiny_detector()(torch.zeros(2, 3, 48, 48))
    >>> logits.shape, offsets.shape
    (torch.Size([2, 540, 3]), torch.Size([2, 540, 4]))
    """
    num_classes = check_positive_int(num_classes, "num_classes")
    width = check_positive_int(width, "width")
    prior = check_probability(prior, "prior")
    if prior == 0:
        raise ValueError(f"prior must lie in (0, 1), got {prior}")
    return _detector_class()(num_classes, width, prior)


def detection_loss(
    class_logits: Any,
    offsets: Any,
    target_classes: Any,
    target_offsets: Any,
    gamma: float = 2.0,
    alpha: float = 0.25,
) -> tuple[Any, Any]:
    """Focal loss on every anchor and class, smooth L1 on the positive anchors' offsets.

    Parameters
    ----------
    class_logits : torch.Tensor, shape (N, A, C)
    offsets : torch.Tensor, shape (N, A, 4)
    target_classes : torch.Tensor of int64, shape (N, A)
        Class of each anchor's object, -1 for background (see ``anchor_targets``).
    target_offsets : torch.Tensor, shape (N, A, 4)
    gamma, alpha
        Of the focal loss, as in :func:`dlnotes.layers.binary_focal_loss`.

    Returns
    -------
    class_loss, box_loss : torch.Tensor (scalars)
        Each summed over the batch and divided by the number of positive anchors (at
        least 1), as in RetinaNet; train on their sum.

    Examples
    --------
    >>> import torch
    >>> logits, offsets = torch.zeros(1, 2, 3), torch.zeros(1, 2, 4)
    >>> cls, box = detection_loss(logits, offsets, torch.tensor([[1, -1]]), torch.ones(1, 2, 4))
    >>> round(box.item(), 4)   # smooth L1 of four errors of 1: 4 * (1 - 0.5)
    2.0
    """
    import torch
    import torch.nn.functional as F

    _check_loss_shapes(class_logits, offsets, target_classes, target_offsets)
    positive = target_classes >= 0
    n_positive = positive.sum().clamp(min=1)
    one_hot = F.one_hot(target_classes.clamp(min=0), class_logits.shape[-1]).to(class_logits)
    one_hot = one_hot * positive[..., None]  # background anchors: every class is 0
    p = torch.sigmoid(class_logits)
    p_t = torch.where(one_hot == 1, p, 1 - p)
    weight = alpha * one_hot + (1 - alpha) * (1 - one_hot)  # in the logits' dtype
    bce = F.binary_cross_entropy_with_logits(class_logits, one_hot, reduction="none")
    class_loss = (weight * (1 - p_t) ** gamma * bce).sum() / n_positive
    box_loss = F.smooth_l1_loss(offsets[positive], target_offsets[positive], reduction="sum")
    return class_loss, box_loss / n_positive


def _check_loss_shapes(logits: Any, offsets: Any, classes: Any, target_offsets: Any) -> None:
    n, a, c = logits.shape
    for name, value, shape in (
        ("offsets", offsets, (n, a, 4)),
        ("target_classes", classes, (n, a)),
        ("target_offsets", target_offsets, (n, a, 4)),
    ):
        if tuple(value.shape) != shape:
            raise ValueError(f"{name} must have shape {shape}, got {tuple(value.shape)}")
    if classes.dtype.is_floating_point or int(classes.max()) >= c or int(classes.min()) < -1:
        raise ValueError(f"target_classes must be integers in [-1, {c - 1}], got {classes.dtype}")


def _check_decoding(
    class_logits: ArrayLike, score_threshold: float, iou_threshold: float, max_detections: int
) -> tuple[np.ndarray, float, int]:
    z = as_float_array(class_logits, "class_logits")
    check_rank(z, 2, "class_logits", "(A, C): one image's logits")
    check_finite(z, "class_logits")
    check_probability(iou_threshold, "iou_threshold", allow_one=True)  # nms checks it too
    return (
        z,
        check_probability(score_threshold, "score_threshold", allow_one=True),
        check_positive_int(max_detections, "max_detections"),
    )


def decode_detections(
    class_logits: ArrayLike,
    offsets: ArrayLike,
    anchors: ArrayLike,
    score_threshold: float = 0.05,
    iou_threshold: float = 0.5,
    max_detections: int = 100,
    variances: ArrayLike = SSD_VARIANCES,
) -> dict[str, np.ndarray]:
    """One image's detections: scores, decoded boxes, per-class NMS, the best few.

    Parameters
    ----------
    class_logits : array_like, shape (A, C)
    offsets : array_like, shape (A, 4)
    anchors : array_like, shape (A, 4)
    score_threshold : float in [0, 1]
        (anchor, class) pairs with ``sigmoid(logit) <= score_threshold`` are dropped.
    iou_threshold : float in [0, 1]
        Of the NMS (:func:`dlnotes.boxes.nms`), which runs per class.
    max_detections : int >= 1
        The highest-scoring survivors kept.

    Returns
    -------
    dict
        ``{"boxes": (K, 4), "scores": (K,), "labels": (K,) int64}``, by decreasing
        score: the input of :func:`dlnotes.metrics.mean_average_precision`.

    Examples
    --------
    >>> logits = np.array([[4.0, -9.0], [3.0, -9.0]])   # two anchors, both see class 0
    >>> anchors = [[0, 0, 10, 10], [1, 0, 11, 10]]
    >>> decode_detections(logits, np.zeros((2, 4)), anchors)["boxes"]   # NMS keeps one
    array([[ 0.,  0., 10., 10.]])
    """
    z, score_threshold, max_detections = _check_decoding(
        class_logits, score_threshold, iou_threshold, max_detections
    )
    boxes = decode_boxes(offsets, anchors, variances)  # checks offsets and anchors (A, 4)
    scores = 0.5 * (1 + np.tanh(z / 2))  # sigmoid(z), without overflow for large -z
    anchor, label = np.nonzero(scores > score_threshold)
    candidates, candidate_scores = boxes[anchor], scores[anchor, label]
    keep = nms(candidates, candidate_scores, iou_threshold, labels=label)[:max_detections]
    return {"boxes": candidates[keep], "scores": candidate_scores[keep], "labels": label[keep]}
