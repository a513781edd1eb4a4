"""dlnotes.boxes: IoU against pixel counting, NMS against brute force, anchors by definition.

Also: the old module dlnotes.detection re-exports the very same objects, and IoU and NMS
need memory linear in the number of boxes (NMS) or a few bytes per pair (box_iou).
"""

import tracemalloc

import numpy as np
import pytest

import dlnotes.boxes
import dlnotes.detection
from dlnotes.boxes import box_area, box_iou, check_boxes, make_anchors, nms, nms_suppressors


def random_integer_boxes(rng, n, size=20):
    x1, y1 = rng.integers(0, size, n), rng.integers(0, size, n)
    w, h = rng.integers(1, 8, n), rng.integers(1, 8, n)
    return np.stack([x1, y1, x1 + w, y1 + h], axis=1).astype(float)


def pixel_iou(a, b, size=40):
    """Reference IoU by painting both boxes on a pixel grid (exact for integer corners)."""
    grid_a = np.zeros((size, size), bool)
    grid_b = np.zeros((size, size), bool)
    grid_a[int(a[1]) : int(a[3]), int(a[0]) : int(a[2])] = True
    grid_b[int(b[1]) : int(b[3]), int(b[0]) : int(b[2])] = True
    union = np.sum(grid_a | grid_b)
    return np.sum(grid_a & grid_b) / union if union else 0.0


def test_hand_computed_ious():
    unit = [0.0, 0.0, 1.0, 1.0]
    cases = [
        ([0.5, 0.0, 1.5, 1.0], 1 / 3),  # overlap 0.5, union 1.5
        ([0.5, 0.5, 1.5, 1.5], 0.25 / 1.75),
        (unit, 1.0),
        ([0.0, 0.0, 2.0, 2.0], 0.25),  # contained
        ([1.0, 0.0, 2.0, 1.0], 0.0),  # touching edge
        ([3.0, 3.0, 4.0, 5.0], 0.0),  # far away
    ]
    iou = box_iou([unit], [c[0] for c in cases])
    np.testing.assert_allclose(iou[0], [c[1] for c in cases], rtol=1e-15)


@pytest.mark.parametrize("seed", range(5))
def test_iou_matches_pixel_counting(seed):
    rng = np.random.default_rng(seed)
    a, b = random_integer_boxes(rng, 6), random_integer_boxes(rng, 5)
    expected = np.array([[pixel_iou(p, q) for q in b] for p in a])
    got = box_iou(a, b)
    assert got.shape == (6, 5)
    np.testing.assert_allclose(got, expected, rtol=1e-14)
    np.testing.assert_allclose(box_iou(b, a), got.T, rtol=0)


def test_degenerate_boxes_and_single_box():
    assert box_iou([1, 1, 1, 1], [1, 1, 1, 1])[0, 0] == 0.0  # no union: defined as 0
    assert box_iou([0, 0, 2, 2], [[1, 1, 1, 1]])[0, 0] == 0.0
    assert box_iou(np.zeros((0, 4)), [[0, 0, 1, 1]]).shape == (0, 1)
    np.testing.assert_array_equal(box_area([[0, 0, 2, 3], [1, 1, 1, 5]]), [6.0, 0.0])


def brute_force_nms(boxes, scores, threshold, labels):
    """Textbook NMS, one class at a time: take the best, drop its overlaps, repeat."""
    kept = []
    for c in np.unique(labels):
        remaining = [i for i in range(len(boxes)) if labels[i] == c]
        while remaining:
            best = max(remaining, key=lambda i: (scores[i], -i))  # ties: lower index first
            kept.append(best)
            remaining = [
                i for i in remaining if i != best and pixel_iou(boxes[i], boxes[best]) <= threshold
            ]
    return sorted(kept, key=lambda i: (-scores[i], i))


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.5, 0.7, 1.0])
@pytest.mark.parametrize("per_class", [False, True])
def test_nms_matches_brute_force(seed, threshold, per_class):
    rng = np.random.default_rng(seed)
    boxes = random_integer_boxes(rng, 15, size=12)
    scores = np.round(rng.random(15), 1)  # rounding creates ties on purpose
    labels = rng.integers(0, 3, 15) if per_class else np.zeros(15, int)
    keep = nms(boxes, scores, threshold, labels=labels if per_class else None)
    assert keep.dtype == np.int64
    assert keep.tolist() == brute_force_nms(boxes, scores, threshold, labels)


def test_nms_keeps_one_box_per_object_not_one_box_overall():
    boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [50, 50, 60, 60], [51, 50, 61, 60]]
    np.testing.assert_array_equal(nms(boxes, [0.9, 0.8, 0.6, 0.7], 0.5), [0, 3])


def test_nms_threshold_extremes_and_ties():
    boxes = [[0, 0, 10, 10], [0, 0, 10, 10], [5, 0, 15, 10]]
    np.testing.assert_array_equal(
        nms(boxes, [0.5, 0.5, 0.4], 1.0), [0, 1, 2]
    )  # nothing exceeds IoU 1
    np.testing.assert_array_equal(nms(boxes, [0.5, 0.5, 0.4], 0.0), [0])
    np.testing.assert_array_equal(
        nms(boxes, [0.5, 0.5, 0.9], 0.5), [2, 0]
    )  # IoU(2, 0) = 1/3 <= 0.5
    assert nms(np.zeros((0, 4)), np.zeros(0), 0.5).shape == (0,)


def test_per_class_nms_does_not_suppress_other_classes():
    boxes = [[0, 0, 10, 10], [0, 0, 10, 10]]
    np.testing.assert_array_equal(nms(boxes, [0.9, 0.8], 0.5), [0])
    np.testing.assert_array_equal(nms(boxes, [0.9, 0.8], 0.5, labels=[0, 1]), [0, 1])


@pytest.mark.parametrize("seed", range(3))
def test_anchor_areas_ratios_and_centres(seed):
    rng = np.random.default_rng(seed)
    sizes, ratios, centre = rng.uniform(8, 64, 3), rng.uniform(0.25, 4, 4), rng.uniform(0, 100, 2)
    anchors = make_anchors(sizes, ratios, center=tuple(centre))
    assert anchors.shape == (12, 4)
    w, h = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    r_of_row, s_of_row = np.repeat(ratios, 3), np.tile(sizes, 4)  # ratio-major order
    np.testing.assert_allclose(w * h, s_of_row**2, rtol=1e-12)
    np.testing.assert_allclose(h / w, r_of_row, rtol=1e-12)
    np.testing.assert_allclose((anchors[:, 0] + anchors[:, 2]) / 2, centre[0], rtol=1e-12)
    np.testing.assert_allclose((anchors[:, 1] + anchors[:, 3]) / 2, centre[1], rtol=1e-12)


def test_anchor_by_hand():
    # size 8, ratio 0.5 (wide): w = 8 / sqrt(0.5) = 8 sqrt(2), h = 8 sqrt(0.5) = 4 sqrt(2)
    ((x1, y1, x2, y2),) = make_anchors([8.0], [0.5], center=(10.0, 20.0))
    assert (x2 - x1, y2 - y1) == pytest.approx((8 * np.sqrt(2), 4 * np.sqrt(2)))
    assert ((x1 + x2) / 2, (y1 + y2) / 2) == pytest.approx((10.0, 20.0))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: box_iou([[2, 0, 1, 1]], [[0, 0, 1, 1]]),
            ValueError,
            r"boxes_a must satisfy x1 <= x2 and y1 <= y2, got row 0 = \[2.0, 0.0, 1.0, 1.0\]",
        ),
        (
            lambda: box_iou([[0, 0, 1, 1]], [[0, 0, 1, 1], [0, 3, 1, 2]]),
            ValueError,
            "boxes_b must satisfy .* row 1",
        ),
        (
            lambda: box_iou([[0, 0, 1]], [[0, 0, 1, 1]]),
            ValueError,
            r"shape \(N, 4\) .* got shape \(1, 3\)",
        ),
        (
            lambda: box_iou([[0, 0, np.nan, 1]], [[0, 0, 1, 1]]),
            ValueError,
            "boxes_a must be finite",
        ),
        (
            lambda: box_iou([["a", "b", "c", "d"]], [[0, 0, 1, 1]]),
            TypeError,
            "boxes_a must hold real numbers",
        ),
        (
            lambda: nms([[0, 0, 1, 1]], [0.5, 0.4], 0.5),
            ValueError,
            r"scores must have shape \(1,\) \(one per box\), got \(2,\)",
        ),
        (
            lambda: nms([[0, 0, 1, 1]], [0.5], 1.5),
            ValueError,
            r"iou_threshold must lie in \[0, 1\], got 1.5",
        ),
        (
            lambda: nms([[0, 0, 1, 1]], [0.5], -0.1),
            ValueError,
            r"iou_threshold must lie in \[0, 1\], got -0.1",
        ),
        (
            lambda: nms([[0, 0, 1, 1]], [0.5], 0.5, labels=[0.5]),
            ValueError,
            "labels must be integers of shape",
        ),
        (
            lambda: nms([[0, 0, 1, 1]], [0.5], 0.5, labels=[0, 1]),
            ValueError,
            r"labels must be integers of shape \(1,\)",
        ),
        (
            lambda: make_anchors([0.0, 8.0], [1.0]),
            ValueError,
            r"sizes must all be > 0, got \[0.0, 8.0\]",
        ),
        (
            lambda: make_anchors([8.0], []),
            ValueError,
            r"aspect_ratios must not be empty, got shape \(0,\)",
        ),
        (lambda: make_anchors([8.0], [-1.0]), ValueError, "aspect_ratios must all be > 0"),
        (
            lambda: make_anchors([8.0], [1.0], center=(1.0, 2.0, 3.0)),
            ValueError,
            r"center must have shape \(2,\) \(cx, cy\), got \(3,\)",
        ),
    ],
)
def test_bad_input_is_rejected(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("seed", range(6))
def test_suppressors_explain_every_removed_box(seed):
    rng = np.random.default_rng(seed)
    boxes = random_integer_boxes(rng, 20, size=10)
    scores = rng.random(20)
    labels = rng.integers(0, 2, 20)
    who = nms_suppressors(boxes, scores, 0.4, labels)
    kept = set(nms(boxes, scores, 0.4, labels).tolist())
    assert {i for i in range(20) if who[i] == -1} == kept
    for i in range(20):
        if who[i] != -1:
            j = who[i]
            assert j in kept and labels[j] == labels[i] and scores[j] >= scores[i]
            assert pixel_iou(boxes[i], boxes[j]) > 0.4
    # kept boxes never overlap each other above the threshold within a class
    for i in kept:
        for j in kept:
            if i < j and labels[i] == labels[j]:
                assert pixel_iou(boxes[i], boxes[j]) <= 0.4


# --- the old import path -----------------------------------------------------------------


def test_detection_module_re_exports_the_same_objects():
    for name in dlnotes.detection.__all__:
        assert getattr(dlnotes.detection, name) is getattr(dlnotes.boxes, name), name
    assert set(dlnotes.detection.__all__) == set(dlnotes.boxes.__all__)
    from dlnotes.detection import box_iou as old_box_iou  # the import the notebooks used

    assert old_box_iou is box_iou


# --- NMS one row at a time: same answers as the full IoU matrix, linear memory -----------


def full_matrix_nms_suppressors(boxes, scores, threshold, labels):
    """The previous implementation: the whole N x N IoU matrix first, then the greedy loop."""
    iou = box_iou(boxes, boxes)
    suppressor = np.full(len(boxes), -2)
    for i in np.argsort(-np.asarray(scores), kind="stable"):
        if suppressor[i] == -2:
            suppressor[i] = -1
            victims = (suppressor == -2) & (iou[i] > threshold) & (labels == labels[i])
            suppressor[victims] = i
    return suppressor


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("threshold", [0.0, 0.25, 0.5, 0.9, 1.0])
def test_row_by_row_nms_equals_the_full_matrix_version(seed, threshold):
    rng = np.random.default_rng(seed)
    n = 200
    xy = np.round(rng.uniform(0, 100, (n, 2)), 1)
    boxes = np.hstack([xy, xy + np.round(rng.uniform(0, 30, (n, 2)), 1)])  # some degenerate
    scores = np.round(rng.random(n), 1)  # many ties
    labels = rng.integers(0, 4, n)
    for lab in (labels, np.zeros(n, int)):
        np.testing.assert_array_equal(
            nms_suppressors(boxes, scores, threshold, lab),
            full_matrix_nms_suppressors(boxes, scores, threshold, lab),
        )


def test_nms_threshold_is_a_strict_inequality():
    # IoU of [0, 0, 10, 10] and [0, 0, 10, 20] is exactly 100 / 200 = 0.5
    boxes = [[0, 0, 10, 10], [0, 0, 10, 20]]
    np.testing.assert_array_equal(nms(boxes, [0.9, 0.8], 0.5), [0, 1])  # 0.5 is not > 0.5
    np.testing.assert_array_equal(nms(boxes, [0.9, 0.8], np.nextafter(0.5, 0)), [0])


def test_boolean_labels_are_two_classes():
    boxes = [[0, 0, 10, 10], [0, 0, 10, 10], [0, 0, 10, 10]]
    keep = nms(boxes, [0.9, 0.8, 0.7], 0.5, labels=np.array([True, False, True]))
    np.testing.assert_array_equal(keep, [0, 1])


def peak_bytes(call):
    """Peak of numpy's (and Python's) allocations during ``call()``, after one warm-up call."""
    call()  # the first call may import or cache something; that is not what is measured
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_nms_memory_grows_linearly_not_with_the_number_of_pairs():
    # 3000 boxes are 9 million pairs: the old N x N IoU matrix alone took 72 MB (57 bytes a pair
    # in all). One row at a time needs a few arrays of N numbers (about 130 bytes a box).
    rng = np.random.default_rng(0)
    n = 3000
    xy = rng.uniform(0, 1000, (n, 2))
    boxes, scores = np.hstack([xy, xy + rng.uniform(10, 100, (n, 2))]), rng.random(n)
    peak = peak_bytes(lambda: nms(boxes, scores, 0.5))
    assert peak < 200 * n, f"nms of {n} boxes peaked at {peak / 1e6:.1f} MB"


def test_box_iou_needs_at_most_three_float_matrices():
    # The result itself is one (N, M) float64 matrix (8 bytes a pair); the in-place computation
    # needs two more at its peak (widths and a temporary), 24 bytes a pair in all.
    rng = np.random.default_rng(1)
    n, m = 1000, 800
    xy_a, xy_b = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    a = np.hstack([xy_a, xy_a + 10])
    b = np.hstack([xy_b, xy_b + 10])
    peak = peak_bytes(lambda: box_iou(a, b))
    assert peak <= 25 * n * m, f"{peak / (n * m):.1f} bytes per pair"


def test_check_boxes_returns_float_rows_and_accepts_bool_and_ints():
    np.testing.assert_array_equal(check_boxes([0, 0, 1, 1]), [[0.0, 0.0, 1.0, 1.0]])
    assert check_boxes(np.zeros((3, 4), dtype=np.int32)).dtype == np.float64
    assert check_boxes(np.zeros((2, 4), dtype=bool)).shape == (2, 4)
