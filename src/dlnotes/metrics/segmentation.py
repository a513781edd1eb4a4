"""Semantic-segmentation metrics: the confusion matrix, per-class IoU and mIoU.

Everything is counted over all pixels of all images passed in at once, as
the usual benchmark code does (PASCAL VOC, Cityscapes, mmsegmentation):
intersections and unions are summed over the data set before dividing,
which is not the same as averaging the IoU of each image.
"""

from __future__ import annotations

import numpy as np

from dlnotes.checks import check_positive_int

__all__ = ["confusion_matrix", "iou_from_confusion", "mean_iou"]


def _check_labels(pred: object, target: object, num_classes: int, ignore_index: int | None):
    num_classes = check_positive_int(num_classes, "num_classes")
    p, t = np.asarray(pred), np.asarray(target)
    for arr, name in ((p, "pred"), (t, "target")):
        if arr.size and arr.dtype.kind not in "iu":
            raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if p.shape != t.shape:
        raise ValueError(f"pred and target must have the same shape, got {p.shape} and {t.shape}")
    if ignore_index is not None:
        if isinstance(ignore_index, bool) or not isinstance(ignore_index, (int, np.integer)):
            raise TypeError(f"ignore_index must be an int or None, got {ignore_index!r}")
        if 0 <= ignore_index < num_classes:
            raise ValueError(
                f"ignore_index must not be a class label in [0, {num_classes - 1}], got {ignore_index}"
            )
        keep = t != ignore_index
        p, t = p[keep], t[keep]
    for arr, name in ((p, "pred"), (t, "target")):
        bad = (arr < 0) | (arr >= num_classes)
        if bad.any():
            raise ValueError(
                f"{name} labels must lie in [0, {num_classes - 1}], got {arr[bad][0].item()}"
            )
    return p.ravel().astype(np.int64), t.ravel().astype(np.int64), num_classes


def confusion_matrix(
    pred: object, target: object, num_classes: int, ignore_index: int | None = None
) -> np.ndarray:
    """Count pixels by (true class, predicted class).

    Parameters
    ----------
    pred : array_like of int, any shape, e.g. (N, H, W)
        Predicted class of each pixel.
    target : array_like of int, same shape
        True class of each pixel.
    num_classes : int
    ignore_index : int, optional
        Pixels whose **target** has this value (often 255, "void") are skipped.

    Returns
    -------
    cm : numpy.ndarray of int64, shape (num_classes, num_classes)
        ``cm[i, j]`` = number of pixels of true class i predicted as j. Rows are the truth,
        as in ``sklearn.metrics.confusion_matrix(y_true, y_pred)``.

    Examples
    --------
    >>> confusion_matrix(pred=[0, 1, 1, 2], target=[0, 1, 2, 2], num_classes=3)
    array([[1, 0, 0],
           [0, 1, 0],
           [0, 1, 1]])
    """
    p, t, n = _check_labels(pred, target, num_classes, ignore_index)
    # Encode each (true, predicted) pair as one integer and count them all at once
    return np.bincount(t * n + p, minlength=n * n).reshape(n, n)


def iou_from_confusion(cm: object) -> np.ndarray:
    """Per-class IoU ``TP / (TP + FP + FN)`` from a confusion matrix of shape (C, C).

    Returns an array of shape (C,); a class that appears neither in the truth nor in
    the prediction has no union, and its IoU is NaN (undefined, not 0).
    """
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"cm must be a square matrix (C, C), got shape {cm.shape}")
    if cm.size and (cm.dtype.kind not in "iuf" or np.any(cm < 0)):
        raise ValueError("cm must hold non-negative counts")
    tp = np.diag(cm).astype(np.float64)
    union = cm.sum(axis=0) + cm.sum(axis=1) - tp  # predicted as c + truly c - counted twice
    return np.divide(tp, union, out=np.full(tp.shape, np.nan), where=union > 0)


def mean_iou(
    pred: object, target: object, num_classes: int, ignore_index: int | None = None
) -> tuple[float, np.ndarray]:
    """Mean intersection over union (mIoU) of a segmentation.

    Parameters
    ----------
    pred, target, num_classes, ignore_index
        As in ``confusion_matrix``.

    Returns
    -------
    miou : float
        Mean of the per-class IoUs that are defined (NaN entries are left out).
    iou : numpy.ndarray, shape (num_classes,)
        IoU of each class, NaN for classes absent from both pred and target.

    Examples
    --------
    >>> miou, iou = mean_iou([[0, 0], [1, 1]], [[0, 1], [1, 1]], num_classes=3)
    >>> iou                      # class 2 never occurs: NaN, not 0
    array([0.5       , 0.66666667,        nan])
    >>> round(miou, 4)
    0.5833
    """
    iou = iou_from_confusion(confusion_matrix(pred, target, num_classes, ignore_index))
    defined = iou[np.isfinite(iou)]
    return (float(defined.mean()) if defined.size else float("nan")), iou
