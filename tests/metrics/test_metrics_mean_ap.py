"""dlnotes.metrics.mean_ap: mAP against a brute-force loop, by hand, and its input checks."""

import numpy as np
import pytest
from ap_reference import voc_all_point_ap

import dlnotes.metrics
import dlnotes.metrics.detection
import dlnotes.metrics.mean_ap
from dlnotes.metrics.mean_ap import mean_average_precision


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
        (
            lambda: mean_average_precision([], [], 2, iou_thresholds=[]),
            ValueError,
            r"iou_thresholds must not be empty, got shape \(0,\)",
        ),
        (
            lambda: mean_average_precision([], [], 2, iou_thresholds=[0.5, -0.25]),
            ValueError,
            r"iou_thresholds must lie in \[0, 1\], got -0.25",
        ),
        (
            lambda: mean_average_precision([], [], 2, iou_thresholds=[0.5, np.nan]),
            ValueError,
            "iou_thresholds must be finite, got nan",
        ),
        (
            lambda: mean_average_precision([], [], 2, interpolation="coco"),
            ValueError,
            "interpolation must be one of .*; got 'coco'",
        ),
        (
            lambda: mean_average_precision(
                [{"boxes": [[0, 0, 1, 1]], "labels": [0], "scores": [np.nan]}],
                [{"boxes": [[0, 0, 1, 1]], "labels": [0]}],
                2,
            ),
            ValueError,
            r"detections\[0\]\['scores'\] must be finite",
        ),
    ],
)
def test_bad_input_is_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_empty_threshold_list_is_refused_not_a_nan_map():
    # Before, iou_thresholds=[] gave an (0, C) AP table and a NaN mAP without a word.
    dets, gts = random_scene(0)
    with pytest.raises(ValueError, match="iou_thresholds must not be empty"):
        mean_average_precision(dets, gts, num_classes=3, iou_thresholds=[])
    with pytest.raises(ValueError, match="iou_thresholds must not be empty"):
        mean_average_precision(dets, gts, num_classes=3, iou_thresholds=np.zeros((0, 2)))


def test_boolean_labels_count_as_classes_0_and_1():
    gts = [{"boxes": [[0, 0, 10, 10], [20, 0, 30, 10]], "labels": np.array([False, True])}]
    dets = [
        {
            "boxes": [[0, 0, 10, 10], [20, 0, 30, 10]],
            "scores": [0.9, 0.8],
            "labels": np.array([False, True]),
        }
    ]
    result = mean_average_precision(dets, gts, num_classes=2)
    np.testing.assert_array_equal(result.ap, [[1.0, 1.0]])


def test_mean_ap_is_re_exported_where_it_was():
    # mean_average_precision and MeanAP lived in dlnotes.metrics.detection before the split
    for name in dlnotes.metrics.mean_ap.__all__:
        assert getattr(dlnotes.metrics, name) is getattr(dlnotes.metrics.mean_ap, name), name
        assert getattr(dlnotes.metrics.detection, name) is getattr(dlnotes.metrics.mean_ap, name)
        assert name in dlnotes.metrics.detection.__all__ and name in dlnotes.metrics.__all__
    from dlnotes.metrics.detection import MeanAP as old_path

    assert old_path is dlnotes.metrics.mean_ap.MeanAP
