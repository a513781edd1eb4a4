"""dlnotes.metrics: precision/recall, AP and mAP against sklearn, the PASCAL VOC code style and brute force."""

import numpy as np
import pytest

from dlnotes.metrics import (
    average_precision,
    match_detections,
    mean_average_precision,
    precision_recall_curve,
)


def voc_all_point_ap(precision, recall):
    """PASCAL VOC 2010+ devkit style: sentinels, a backwards max, sum over recall changes."""
    mrec = np.concatenate([[0.0], recall, [1.0]])
    mpre = np.concatenate([[0.0], precision, [0.0]])
    for i in range(len(mpre) - 2, -1, -1):
        mpre[i] = max(mpre[i], mpre[i + 1])
    changes = np.where(mrec[1:] != mrec[:-1])[0]
    return np.sum((mrec[changes + 1] - mrec[changes]) * mpre[changes + 1])


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
    # gt 0 is the best match for both detections; the second one falls back to gt 1 (IoU 0.6 >= 0.5).
    gt = [[0, 0, 10, 10], [2, 0, 12, 10]]
    dets = [[1, 0, 11, 10], [0, 0, 10, 10]]
    np.testing.assert_array_equal(match_detections(dets, [0.9, 0.8], gt, 0.5), [True, True])
    np.testing.assert_array_equal(match_detections(dets, [0.9, 0.8], gt, 0.7), [True, False])


def test_threshold_is_inclusive():
    # IoU exactly 0.5: [0,0,10,10] vs [0,0,10,20] (area 100 over union 200)
    assert match_detections([[0, 0, 10, 20]], [1.0], [[0, 0, 10, 10]], 0.5).tolist() == [True]


def brute_force_map(dets, gts, num_classes, threshold):
    """Independent mAP@threshold: plain loops, scalar IoU, VOC-style all-point AP."""

    def iou(a, b):
        w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
        h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
        inter = w * h
        union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
        return inter / union if union > 0 else 0.0

    aps = []
    for c in range(num_classes):
        n_gt = sum(int(np.sum(np.asarray(g["labels"]) == c)) for g in gts)
        if n_gt == 0:
            continue
        records = []  # (score, order, image, box)
        for img, d in enumerate(dets):
            for k, (box, score, label) in enumerate(zip(d["boxes"], d["scores"], d["labels"])):
                if label == c:
                    records.append((score, img, k, box))
        records.sort(
            key=lambda rec: (-rec[0], rec[1], rec[2])
        )  # image order breaks ties, as concatenation does
        used = {img: set() for img in range(len(gts))}
        hits = []
        for _, img, _, box in records:
            cands = [
                (iou(box, g), j)
                for j, (g, lab) in enumerate(zip(gts[img]["boxes"], gts[img]["labels"]))
                if lab == c and j not in used[img]
            ]
            best = max(cands, default=(0.0, None))
            ok = best[1] is not None and best[0] >= threshold
            if ok:
                used[img].add(best[1])
            hits.append(ok)
        hits = np.array(hits, dtype=float)
        tp = np.cumsum(hits)
        precision = tp / np.arange(1, len(hits) + 1) if len(hits) else np.zeros(0)
        recall = tp / n_gt
        aps.append(voc_all_point_ap(precision, recall) if len(hits) else 0.0)
    return np.mean(aps)


def random_scene(seed, n_images=4, num_classes=3):
    rng = np.random.default_rng(seed)
    dets, gts = [], []
    for _ in range(n_images):
        g = rng.integers(1, 5)
        xy = rng.uniform(0, 80, (g, 2))
        gt_boxes = np.hstack([xy, xy + rng.uniform(10, 30, (g, 2))])
        gt_labels = rng.integers(0, num_classes, g)
        # detections: jittered copies of the truth (some with a wrong class) plus random clutter
        jitter = gt_boxes + rng.normal(0, 3, gt_boxes.shape)
        jitter[:, 2:] = np.maximum(jitter[:, 2:], jitter[:, :2] + 1)
        k = rng.integers(0, 4)
        cxy = rng.uniform(0, 80, (k, 2))
        clutter = np.hstack([cxy, cxy + rng.uniform(5, 30, (k, 2))])
        boxes = np.vstack([jitter, jitter[: g // 2], clutter])
        labels = np.concatenate(
            [
                np.where(rng.random(g) < 0.8, gt_labels, rng.integers(0, num_classes, g)),
                gt_labels[: g // 2],
                rng.integers(0, num_classes, k),
            ]
        )
        scores = np.round(rng.random(len(boxes)), 3)
        dets.append({"boxes": boxes, "scores": scores, "labels": labels})
        gts.append({"boxes": gt_boxes, "labels": gt_labels})
    return dets, gts


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.75])
def test_map_matches_brute_force(seed, threshold):
    dets, gts = random_scene(seed)
    result = mean_average_precision(dets, gts, num_classes=3, iou_thresholds=threshold)
    assert result.ap.shape == (1, 3)
    assert result.map == pytest.approx(brute_force_map(dets, gts, 3, threshold), rel=1e-12)


def test_map_is_the_mean_of_per_class_ap_and_over_thresholds():
    dets, gts = random_scene(3)
    thresholds = np.linspace(0.5, 0.95, 10)
    result = mean_average_precision(dets, gts, 3, thresholds, interpolation="101-point")
    assert result.ap.shape == (10, 3)
    assert result.map == pytest.approx(np.nanmean(result.ap), rel=1e-14)
    for t, thr in enumerate(thresholds):
        single = mean_average_precision(dets, gts, 3, thr, interpolation="101-point")
        np.testing.assert_allclose(single.ap[0], result.ap[t], rtol=1e-14)
    # Stricter thresholds never increase AP: every match at 0.9 is also a match at 0.5
    assert np.all(np.diff(np.nan_to_num(result.ap), axis=0) <= 1e-12)


def test_map_by_hand():
    gts = [
        {"boxes": [[0, 0, 10, 10], [20, 20, 30, 30]], "labels": [0, 1]},
        {"boxes": [[0, 0, 10, 10]], "labels": [0]},
    ]
    dets = [
        {
            "boxes": [[0, 0, 10, 10], [20, 20, 30, 30], [50, 50, 60, 60]],
            "scores": [0.9, 0.8, 0.95],
            "labels": [0, 1, 0],
        },
        {"boxes": np.zeros((0, 4)), "scores": [], "labels": np.zeros(0, int)},
    ]
    result = mean_average_precision(dets, gts, num_classes=3)
    # class 0: ranking FP (0.95), TP (0.9) of 2 objects -> precision 1/2 at recall 1/2 -> AP 1/4
    # class 1: one TP of one object -> AP 1; class 2: no ground truth -> NaN, left out
    np.testing.assert_allclose(result.ap, [[0.25, 1.0, np.nan]])
    assert result.map == pytest.approx(0.625)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: precision_recall_curve([0.5, 0.4], [True], 1),
            ValueError,
            r"is_true_positive must have the shape of scores, \(2,\), got \(1,\)",
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
            r"scores must have shape \(K,\)",
        ),
        (
            lambda: average_precision([0.5], [1], 1, "voc"),
            ValueError,
            "interpolation must be one of",
        ),
        (
            lambda: match_detections([[0, 0, 1, 1]], [0.5], [[0, 0, 1, 1]], 2.0),
            ValueError,
            r"iou_threshold must lie in \[0, 1\], got 2.0",
        ),
        (
            lambda: match_detections([[0, 0, 1, 1]], [0.5, 0.4], [[0, 0, 1, 1]]),
            ValueError,
            r"det_scores must have shape \(1,\)",
        ),
        (
            lambda: match_detections([[1, 0, 0, 1]], [0.5], [[0, 0, 1, 1]]),
            ValueError,
            "det_boxes must satisfy x1 <= x2",
        ),
        (
            lambda: mean_average_precision([{}], [], 2),
            ValueError,
            "same images, got 1 and 0 entries",
        ),
        (
            lambda: mean_average_precision(
                [{"boxes": [[0, 0, 1, 1]], "labels": [0]}],
                [{"boxes": [[0, 0, 1, 1]], "labels": [0]}],
                2,
            ),
            ValueError,
            r"detections\[0\] lacks the keys \['scores'\]",
        ),
        (
            lambda: mean_average_precision(
                [{"boxes": [[0, 0, 1, 1]], "labels": [0], "scores": [1.0]}],
                [{"boxes": [[0, 0, 1, 1]], "labels": [2]}],
                2,
            ),
            ValueError,
            r"ground_truths\[0\]\['labels'\] must lie in \[0, 1\], got \[2\]",
        ),
        (
            lambda: mean_average_precision(
                [{"boxes": [[0, 0, 1, 1]], "labels": [0.0], "scores": [1.0]}],
                [{"boxes": [[0, 0, 1, 1]], "labels": [0]}],
                2,
            ),
            ValueError,
            r"detections\[0\]\['labels'\] must be 1 integers",
        ),
        (
            lambda: mean_average_precision(["img"], [{"boxes": [], "labels": []}], 2),
            TypeError,
            r"detections\[0\] must be a dict",
        ),
        (
            lambda: mean_average_precision([], [], 2, iou_thresholds=[0.5, 1.2]),
            ValueError,
            r"iou_thresholds must lie in \[0, 1\], got 1.2",
        ),
        (lambda: mean_average_precision([], [], 0), ValueError, "num_classes must be >= 1, got 0"),
    ],
)
def test_bad_input_is_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()
