"""Semantic-segmentation metrics: the confusion matrix, per-class IoU and mIoU.

Everything is counted over all pixels of all images passed in at once, as
the usual benchmark code does (PASCAL VOC, Cityscapes, mmsegmentation):
intersections and unions are summed over the data set before dividing,
which is not the same as averaging the IoU of each image.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlnotes.checks import check_positive_int, check_rank, check_same_shape, check_scalar

__all__ = ["confusion_matrix", "iou_from_confusion", "mean_iou"]


def _check_labels(
    pred: ArrayLike, target: ArrayLike, num_classes: int, ignore_index: int | None
) -> tuple[np.ndarray, np.ndarray, int]:
    """Flat int64 labels of the pixels that count, after checking dtype, shape and range."""
    num_classes = check_positive_int(num_classes, "num_classes")
    p, t = np.asarray(pred), np.asarray(target)
    for arr, name in ((p, "pred"), (t, "target")):
        if arr.size and arr.dtype.kind not in "biu":
            raise TypeError(
                f"{name} must hold integer class labels (bool counts as 0/1), got dtype {arr.dtype}"
            )
    check_same_shape(p, t, "pred", "target")
    if ignore_index is not None:
        ignore_index = check_scalar(ignore_index, "ignore_index", int)
        if 0 <= ignore_index < num_classes:
            raise ValueError(
                f"ignore_index must not be a class label in [0, {num_classes - 1}], "
                f"got {ignore_index}"
            )
        p, t = p[t != ignore_index], t[t != ignore_index]
    for arr, name in ((p, "pred"), (t, "target")):
        bad = (arr < 0) | (arr >= num_classes)
        if bad.any():
            raise ValueError(
                f"{name} labels must lie in [0, {num_classes - 1}], got {arr[bad][0].item()}"
            )
    return p.ravel().astype(np.int64), t.ravel().astype(np.int64), num_classes


def _check_confusion(cm: ArrayLike) -> np.ndarray:
    cm = np.asarray(cm)
    check_rank(cm, 2, "cm", "(C, C)")
    if cm.shape[0] != cm.shape[1]:
        raise ValueError(f"cm must be a square matrix (C, C), got shape {cm.shape}")
    if cm.size and cm.dtype.kind not in "iuf":
        raise TypeError(f"cm must hold counts (an int or float dtype), got dtype {cm.dtype}")
    if np.any(cm < 0) or not np.all(np.isfinite(cm)):
        raise ValueError(
            f"cm must hold finite non-negative counts, got {cm[(cm < 0) | ~np.isfinite(cm)][0]}"
        )
    return cm


def confusion_matrix(
    pred: ArrayLike, target: ArrayLike, num_classes: int, ignore_index: int | None = None
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


def iou_from_confusion(cm: ArrayLike) -> np.ndarray:
    """Per-class IoU ``TP / (TP + FP + FN)`` from a confusion matrix.

    Parameters
    ----------
    cm : array_like, shape (C, C)
        ``cm[i, j]`` = pixels of true class i predicted as j (see ``confusion_matrix``).

    Returns
    -------
    iou : numpy.ndarray, shape (C,)
        A class that appears neither in the truth nor in the prediction has no union,
        and its IoU is NaN (undefined, not 0).

    Examples
    --------
    >>> iou_from_confusion([[5, 1], [2, 2]])   # class 0: 5 / (5 + 2 + 1); class 1: 2 / (2 + 1 + 2)
    array([0.625, 0.4  ])
    """
    cm = _check_confusion(cm)
    tp = np.diag(cm).astype(np.float64)
    union = cm.sum(axis=0) + cm.sum(axis=1) - tp  # predicted as c + truly c - counted twice
    return np.divide(tp, union, out=np.full(tp.shape, np.nan), where=union > 0)


def mean_iou(
    pred: ArrayLike, target: ArrayLike, num_classes: int, ignore_index: int | None = None
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
