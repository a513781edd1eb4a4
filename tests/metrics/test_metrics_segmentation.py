"""dlnotes.metrics.segmentation against sklearn and a direct per-class count."""

import numpy as np
import pytest

import dlnotes.metrics
import dlnotes.metrics.segmentation
import dlnotes.segmentation
from dlnotes.metrics.segmentation import confusion_matrix, iou_from_confusion, mean_iou


def random_masks(seed, shape=(3, 16, 16), num_classes=5):
    rng = np.random.default_rng(seed)
    target = rng.integers(0, num_classes, shape)
    pred = np.where(rng.random(shape) < 0.7, target, rng.integers(0, num_classes, shape))
    return pred, target


@pytest.mark.parametrize("seed", range(5))
def test_confusion_matrix_matches_sklearn(seed):
    sk_confusion_matrix = pytest.importorskip("sklearn.metrics").confusion_matrix
    pred, target = random_masks(seed)
    ours = confusion_matrix(pred, target, 5)
    ref = sk_confusion_matrix(target.ravel(), pred.ravel(), labels=range(5))
    np.testing.assert_array_equal(ours, ref)
    assert ours.dtype == np.int64 and ours.sum() == pred.size


@pytest.mark.parametrize("seed", range(5))
def test_iou_matches_sklearn_jaccard_and_a_direct_count(seed):
    jaccard_score = pytest.importorskip("sklearn.metrics").jaccard_score
    pred, target = random_masks(seed)
    miou, iou = mean_iou(pred, target, 5)
    np.testing.assert_allclose(
        iou, jaccard_score(target.ravel(), pred.ravel(), labels=range(5), average=None), rtol=1e-14
    )
    assert miou == pytest.approx(
        jaccard_score(target.ravel(), pred.ravel(), labels=range(5), average="macro")
    )
    direct = [
        np.sum((pred == c) & (target == c)) / np.sum((pred == c) | (target == c)) for c in range(5)
    ]
    np.testing.assert_allclose(iou, direct, rtol=1e-14)


def test_class_absent_from_both_is_nan_and_left_out():
    pred = np.array([[0, 0], [1, 1]])
    target = np.array([[0, 1], [1, 1]])
    miou, iou = mean_iou(pred, target, num_classes=4)
    np.testing.assert_allclose(iou, [1 / 2, 2 / 3, np.nan, np.nan])
    assert miou == pytest.approx((1 / 2 + 2 / 3) / 2)
    # A class predicted but never true has IoU 0, and it does count
    miou_fp, iou_fp = mean_iou([[0, 3], [1, 1]], target, num_classes=4)
    # class 0: 1 of 1 pixel; class 1: 2 of 3; class 3: predicted once, never true -> 0
    assert iou_fp[3] == 0.0 and miou_fp == pytest.approx((1 + 2 / 3 + 0) / 3)


def test_ignore_index_skips_void_pixels():
    target = np.array([0, 1, 255, 255])
    pred = np.array([0, 1, 1, 0])
    np.testing.assert_array_equal(
        confusion_matrix(pred, target, 2, ignore_index=255), [[1, 0], [0, 1]]
    )
    assert mean_iou(pred, target, 2, ignore_index=255)[0] == 1.0


def test_dataset_level_iou_differs_from_the_mean_of_image_ious():
    # image A: class 1 is tiny and missed; image B: class 1 is large and found
    target_a, pred_a = np.array([0, 0, 0, 1]), np.array([0, 0, 0, 0])
    target_b, pred_b = np.array([1, 1, 1, 1]), np.array([1, 1, 1, 1])
    pooled = mean_iou(np.stack([pred_a, pred_b]), np.stack([target_a, target_b]), 2)[0]
    per_image = np.mean([mean_iou(pred_a, target_a, 2)[0], mean_iou(pred_b, target_b, 2)[0]])
    # pooled: IoU0 = 3/4, IoU1 = 4/5; per image: A = (3/4 + 0)/2, B = 1 (class 0 absent)
    assert pooled == pytest.approx((3 / 4 + 4 / 5) / 2)
    assert per_image == pytest.approx((3 / 8 + 1) / 2)


def test_iou_from_confusion_by_hand():
    cm = np.array([[5, 1], [2, 2]])  # TP0 = 5, FP0 = 2, FN0 = 1; TP1 = 2, FP1 = 1, FN1 = 2
    np.testing.assert_allclose(iou_from_confusion(cm), [5 / 8, 2 / 5])


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: confusion_matrix([0, 1], [0, 1, 1], 2),
            ValueError,
            r"pred and target must have the same shape, got \(2,\) and \(3,\)",
        ),
        (
            lambda: confusion_matrix([0, 2], [0, 1], 2),
            ValueError,
            r"pred labels must lie in \[0, 1\], got 2",
        ),
        (
            lambda: confusion_matrix([0, 1], [0, -1], 2),
            ValueError,
            r"target labels must lie in \[0, 1\], got -1",
        ),
        (
            lambda: confusion_matrix([0.0, 1.0], [0, 1], 2),
            TypeError,
            r"pred must hold integer class labels \(bool counts as 0/1\), got dtype float64",
        ),
        (
            lambda: confusion_matrix([0, 1], [0, 1], 0),
            ValueError,
            "num_classes must be >= 1, got 0",
        ),
        (
            lambda: confusion_matrix([0, 1], [0, 1], 2, ignore_index=1),
            ValueError,
            r"ignore_index must not be a class label in \[0, 1\], got 1",
        ),
        (
            lambda: confusion_matrix([0, 1], [0, 1], 2, ignore_index="void"),
            TypeError,
            "ignore_index must be an integer, got 'void' of type str",
        ),
        (
            lambda: confusion_matrix([0, 1], [0, 1], 2, ignore_index=True),
            TypeError,
            "ignore_index must be an integer, got True of type bool",
        ),
        (
            lambda: iou_from_confusion(np.ones((2, 3))),
            ValueError,
            r"square matrix \(C, C\), got shape \(2, 3\)",
        ),
        (
            lambda: iou_from_confusion([[1, -1], [0, 1]]),
            ValueError,
            "cm must hold finite non-negative counts, got -1",
        ),
        (
            lambda: iou_from_confusion([[1.0, np.nan], [0.0, 1.0]]),
            ValueError,
            "cm must hold finite non-negative counts, got nan",
        ),
        (
            lambda: iou_from_confusion(np.ones(3)),
            ValueError,
            r"cm must have rank 2 \(C, C\), got rank 1 with shape \(3,\)",
        ),
        (
            lambda: iou_from_confusion(np.array([["a"]])),
            TypeError,
            "cm must hold counts .*got dtype <U1",
        ),
    ],
)
def test_bad_input_is_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_boolean_masks_are_the_classes_0_and_1():
    # A binary segmentation as bool masks: the same counts as the 0/1 integer masks.
    target = np.array([[True, True, False], [False, False, True]])
    pred = np.array([[True, False, False], [True, False, True]])
    # truth 0: pixels (0,2), (1,0), (1,1) -> predicted 0, 1, 0;
    # truth 1: pixels (0,0), (0,1), (1,2) -> predicted 1, 0, 1
    np.testing.assert_array_equal(confusion_matrix(pred, target, 2), [[2, 1], [1, 2]])
    miou, iou = mean_iou(pred, target, 2)
    np.testing.assert_allclose(iou, [2 / 4, 2 / 4])


def test_old_module_and_package_re_export_the_same_objects():
    for name in dlnotes.segmentation.__all__:
        obj = getattr(dlnotes.metrics.segmentation, name)
        assert getattr(dlnotes.segmentation, name) is obj, name
        assert getattr(dlnotes.metrics, name) is obj, name
    from dlnotes.segmentation import mean_iou as old_path  # the notebooks' import

    assert old_path is mean_iou
