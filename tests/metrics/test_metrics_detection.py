"""dlnotes.metrics.detection: PR, AP and matching against sklearn and PASCAL VOC-style code."""

import numpy as np
import pytest
from ap_reference import voc_all_point_ap

import dlnotes.metrics
import dlnotes.metrics.detection
from dlnotes.metrics.detection import (
    average_precision,
    match_detections,
    precision_recall_curve,
)


def sampled_ap(precision, recall, levels):
    """Brute force: at each recall level r, the best precision reached at recall >= r."""
    values = []
    for r in levels:
        reached = precision[recall >= r - 1e-12]
        values.append(reached.max() if reached.size else 0.0)
    return np.mean(values)


def random_ranking(seed, k=30):
    rng = np.random.default_rng(seed)
    scores = rng.permutation(k) / k + 0.01  # distinct scores
    hits = rng.random(k) < 0.5
    return scores, hits, int(hits.sum()) + int(rng.integers(0, 5))


def test_precision_recall_by_hand():
    # Sorted by score: TP, FP, TP, FP, TP with 4 ground-truth boxes.
    p, r, t = precision_recall_curve([0.2, 0.9, 0.5, 0.7, 0.8], [True, True, False, True, False], 4)
    np.testing.assert_allclose(t, [0.9, 0.8, 0.7, 0.5, 0.2])
    np.testing.assert_allclose(p, [1, 1 / 2, 2 / 3, 2 / 4, 3 / 5])
    np.testing.assert_allclose(r, [1 / 4, 1 / 4, 2 / 4, 2 / 4, 3 / 4])


def test_all_point_ap_by_hand():
    # Curve: (R, P) = (1/4, 1), (1/4, 1/2), (2/4, 2/3), (2/4, 1/2), (3/4, 3/5).
    # Envelope at the recall steps 1/4, 2/4, 3/4: 1, 2/3, 3/5; each step is 1/4 wide.
    ap = average_precision([0.9, 0.8, 0.7, 0.5, 0.2], [1, 0, 1, 0, 1], 4)
    assert ap == pytest.approx((1 + 2 / 3 + 3 / 5) / 4, rel=1e-14)


@pytest.mark.parametrize("seed", range(10))
def test_no_interpolation_equals_sklearn_when_every_positive_is_ranked(seed):
    average_precision_score = pytest.importorskip("sklearn.metrics").average_precision_score
    scores, hits, _ = random_ranking(seed)
    ours = average_precision(scores, hits, int(hits.sum()), interpolation="none")
    assert ours == pytest.approx(average_precision_score(hits, scores), rel=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_interpolations_match_reference_implementations(seed):
    scores, hits, n_gt = random_ranking(seed)
    precision, recall, _ = precision_recall_curve(scores, hits, n_gt)
    assert average_precision(scores, hits, n_gt) == pytest.approx(
        voc_all_point_ap(precision, recall), rel=1e-12
    )
    coco = sampled_ap(precision, recall, np.linspace(0, 1, 101))
    assert average_precision(scores, hits, n_gt, "101-point") == pytest.approx(coco, rel=1e-12)
    voc07 = sampled_ap(precision, recall, np.arange(0, 1.1, 0.1))
    assert average_precision(scores, hits, n_gt, "11-point") == pytest.approx(voc07, rel=1e-12)
    # The envelope never lies below the curve
    assert (
        average_precision(scores, hits, n_gt)
        >= average_precision(scores, hits, n_gt, "none") - 1e-15
    )


def test_perfect_and_empty_rankings():
    for mode in ("all-point", "101-point", "11-point", "none"):
        assert average_precision([0.9, 0.8, 0.1], [1, 1, 0], 2, mode) == pytest.approx(1.0)
        assert average_precision([], [], 3, mode) == 0.0
        assert average_precision([0.9, 0.8], [0, 0], 3, mode) == 0.0


def test_missed_objects_cap_recall():
    # Two of four objects found, both ranked first: precision 1 up to recall 1/2, then nothing.
    assert average_precision([0.9, 0.8], [1, 1], 4) == pytest.approx(0.5)
    assert average_precision([0.9, 0.8], [1, 1], 4, "101-point") == pytest.approx(51 / 101)


def test_ties_are_taken_in_input_order():
    p_first, _, _ = precision_recall_curve([0.5, 0.5], [True, False], 1)
    p_second, _, _ = precision_recall_curve([0.5, 0.5], [False, True], 1)
    np.testing.assert_allclose(p_first, [1.0, 0.5])
    np.testing.assert_allclose(p_second, [0.0, 0.5])


def test_matching_by_hand():
    gt = [[0, 0, 10, 10], [20, 0, 30, 10]]
    dets = [[0, 0, 10, 10], [1, 0, 11, 10], [20, 0, 30, 10], [40, 40, 50, 50]]
    np.testing.assert_array_equal(
        match_detections(dets, [0.9, 0.95, 0.5, 0.99], gt), [False, True, True, False]
    )  # det 1 (higher score) takes gt 0 first, det 0 is a duplicate; det 3 overlaps nothing
    assert match_detections(np.zeros((0, 4)), [], gt).shape == (0,)
    np.testing.assert_array_equal(match_detections(dets[:1], [0.5], np.zeros((0, 4))), [False])


def test_matching_uses_the_best_unmatched_box():
    # gt 0 is the best match for both detections; the second one falls back to gt 1
    # (IoU 0.6 >= 0.5).
    gt = [[0, 0, 10, 10], [2, 0, 12, 10]]
    dets = [[1, 0, 11, 10], [0, 0, 10, 10]]
    np.testing.assert_array_equal(match_detections(dets, [0.9, 0.8], gt, 0.5), [True, True])
    np.testing.assert_array_equal(match_detections(dets, [0.9, 0.8], gt, 0.7), [True, False])


def test_threshold_is_inclusive():
    # IoU exactly 0.5: [0,0,10,10] vs [0,0,10,20] (area 100 over union 200)
    assert match_detections([[0, 0, 10, 20]], [1.0], [[0, 0, 10, 10]], 0.5).tolist() == [True]


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: precision_recall_curve([0.5, 0.4], [True], 1),
            ValueError,
            r"scores and is_true_positive must have the same shape, got \(2,\) and \(1,\)",
        ),
        (lambda: precision_recall_curve([0.5], [2], 1), ValueError, "only True/False .*got 2"),
        (
            lambda: precision_recall_curve([0.5, 0.4], [1, 1], 1),
            ValueError,
            "2 true positives, more than n_ground_truth = 1",
        ),
        (
            lambda: precision_recall_curve([0.5], [1], 0),
            ValueError,
            "n_ground_truth must be >= 1, got 0",
        ),
        (
            lambda: precision_recall_curve([[0.5]], [[1]], 1),
            ValueError,
            r"scores must have rank 1 \(K,\), got rank 2 with shape \(1, 1\)",
        ),
        (
            lambda: average_precision([0.5], [1], 1, "voc"),
            ValueError,
            "interpolation must be one of 'all-point', '101-point', '11-point', 'none'; got 'voc'",
        ),
        (
            lambda: match_detections([[0, 0, 1, 1]], [0.5], [[0, 0, 1, 1]], 2.0),
            ValueError,
            r"iou_threshold must lie in \[0, 1\], got 2.0",
        ),
        (
            lambda: match_detections([[0, 0, 1, 1]], [0.5, 0.4], [[0, 0, 1, 1]]),
            ValueError,
            r"det_scores must have shape \(1,\) \(one per box\), got \(2,\)",
        ),
        (
            lambda: match_detections([[1, 0, 0, 1]], [0.5], [[0, 0, 1, 1]]),
            ValueError,
            "det_boxes must satisfy x1 <= x2",
        ),
    ],
)
def test_bad_input_is_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_threshold_extremes_zero_and_one_are_allowed():
    # IoU >= 0 holds for any pair, so at 0 each detection takes a free ground-truth box while
    # one is left: det 0 (IoU 0 with both) takes gt 0, the lowest index among equal IoUs; det 1
    # then takes gt 1 (IoU 0 >= 0) although it copies gt 0, and det 2 finds none left.
    # IoU >= 1 holds only for an exact copy of a box: det 1 alone.
    gt = [[0, 0, 10, 10], [20, 0, 30, 10]]
    dets = [[50, 50, 60, 60], [0, 0, 10, 10], [21, 0, 30, 10]]
    np.testing.assert_array_equal(match_detections(dets, [0.9, 0.8, 0.7], gt, 0.0), [1, 1, 0])
    np.testing.assert_array_equal(match_detections(dets, [0.9, 0.8, 0.7], gt, 1.0), [0, 1, 0])


def test_package_re_exports_the_same_objects():
    # dlnotes.metrics.<name> was the only path before the package was split into modules
    for name in dlnotes.metrics.detection.__all__:
        assert getattr(dlnotes.metrics, name) is getattr(dlnotes.metrics.detection, name), name
    from dlnotes.metrics import average_precision as old_path

    assert old_path is average_precision
