"""dlnotes.box_coding: offsets against anchors, their inverse, and anchor matching."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlnotes.box_coding import (
    SSD_VARIANCES,
    anchor_targets,
    decode_boxes,
    encode_boxes,
    grid_anchors,
    match_anchors,
)
from dlnotes.boxes import box_iou, make_anchors

EPS = np.finfo(np.float64).eps


def boxes_from(centre, log_size):
    """Corner boxes from centres (N, 2) and log sizes (N, 2)."""
    size = np.exp(log_size)
    return np.concatenate([centre - size / 2, centre + size / 2], axis=1)


@st.composite
def boxes_and_anchors(draw):
    n = draw(st.integers(1, 20))
    real = st.floats(-1, 1, allow_nan=False)
    u = draw(arrays(np.float64, (4, n, 2), elements=real))
    anchors = boxes_from(100 * u[0], np.log(20) + 1.5 * u[1])  # sizes about 4.5 to 90
    # boxes up to 40 anchor sizes away, 1/50 to 50 times as large (inside decode's clamp)
    a_size = anchors[:, 2:] - anchors[:, :2]
    a_centre = (anchors[:, :2] + anchors[:, 2:]) / 2
    boxes = boxes_from(a_centre + 40 * u[2] * a_size, np.log(a_size) + np.log(50) * u[3])
    variances = draw(st.sampled_from([SSD_VARIANCES, (1.0, 1.0, 1.0, 1.0), (0.3, 2.0, 0.5, 3.0)]))
    return boxes, anchors, variances


@given(boxes_and_anchors())
def test_decode_inverts_encode(case):
    boxes, anchors, variances = case
    back = decode_boxes(encode_boxes(boxes, anchors, variances), anchors, variances)
    # Each of the ~10 rounded steps errs by at most eps times the magnitude it works at:
    # the coordinates (|box| and |anchor|) for the centres, and for the sizes the box size
    # times (1 + |log ratio|), since exp turns log's absolute error into a relative one.
    size = boxes[:, 2:] - boxes[:, :2]
    ratio = np.log(size / (anchors[:, 2:] - anchors[:, :2]))
    scale = np.abs(boxes).max(1) + np.abs(anchors).max(1) + (size * (1 + np.abs(ratio))).max(1)
    assert np.all(np.abs(back - boxes) <= 32 * EPS * scale[:, None])


def test_known_offsets_by_hand():
    anchor = [[0, 0, 16, 16]]  # centre (8, 8), size 16 x 16
    box = [[16, 8, 32, 40]]  # centre (24, 24), size 16 x 32
    t = encode_boxes(box, anchor, variances=(1, 1, 1, 1))
    np.testing.assert_allclose(t, [[1.0, 1.0, 0.0, np.log(2)]], rtol=1e-15, atol=0)
    t_ssd = encode_boxes(box, anchor)  # divided by (0.1, 0.1, 0.2, 0.2)
    np.testing.assert_allclose(t_ssd, [[10.0, 10.0, 0.0, 5 * np.log(2)]], rtol=1e-14, atol=0)
    # half a size to the left, a quarter up, half as wide, twice as tall
    decoded = decode_boxes([[-0.5, -0.25, -np.log(2), np.log(2)]], anchor, (1, 1, 1, 1))
    np.testing.assert_allclose(decoded, [[-4.0, -12.0, 4.0, 20.0]], rtol=0, atol=1e-14)


def test_a_box_equal_to_its_anchor_has_zero_offsets_and_decode_clamps_wild_sizes():
    anchors = make_anchors([8.0, 30.0], [0.5, 2.0], center=(5.0, -3.0))
    np.testing.assert_array_equal(encode_boxes(anchors, anchors), np.zeros((4, 4)))
    huge = decode_boxes([[0.0, 0.0, 1e6, 1e6]], [[0, 0, 16, 16]])
    assert np.all(np.isfinite(huge))
    np.testing.assert_allclose(huge[0, 2:] - huge[0, :2], [1000.0, 1000.0], rtol=1e-12)


def test_float32_stays_float32_and_inputs_are_not_changed():
    boxes = np.array([[1, 2, 5, 9]], dtype=np.float32)
    anchors = np.array([[0, 0, 4, 4]], dtype=np.float32)
    copies = boxes.copy(), anchors.copy()
    t = encode_boxes(boxes, anchors)
    assert t.dtype == np.float32 and decode_boxes(t, anchors).dtype == np.float32
    np.testing.assert_array_equal(boxes, copies[0])
    np.testing.assert_array_equal(anchors, copies[1])


@pytest.mark.parametrize(
    ("function", "values", "anchors", "kwargs", "message"),
    [
        (
            encode_boxes,
            [[0, 0, 2, 2]],
            [[0, 0, 0, 4]],
            {},
            r"anchors must have width and "
            r"height > 0, got row 0 = \[0\.0, 0\.0, 0\.0, 4\.0\]",
        ),
        (decode_boxes, [[0, 0, 0, 0]], [[1, 1, 1, 1]], {}, r"anchors must have width and height"),
        (encode_boxes, [[0, 0, 2, 2]], [[0, 0, 4]], {}, r"anchors must have shape \(N, 4\)"),
        (encode_boxes, [[0, 0, 2]], [[0, 0, 4, 4]], {}, r"boxes must have shape \(N, 4\)"),
        (
            decode_boxes,
            [[0, 0, 2]],
            [[0, 0, 4, 4]],
            {},
            r"offsets must have shape \(1, 4\) "
            r"\(N, 4\) with rows \(t_x, t_y, t_w, t_h\), got \(1, 3\)",
        ),
        (decode_boxes, [0, 0, 2, 2], [[0, 0, 4, 4]], {}, r"offsets must have rank 2"),
        (
            encode_boxes,
            [[0, 0, 2, 2]] * 2,
            [[0, 0, 4, 4]] * 3,
            {},
            r"boxes and anchors must "
            r"have one row per anchor, got 2 and 3 rows",
        ),
        (
            decode_boxes,
            [[0, 0, 0, 0]] * 3,
            [[0, 0, 4, 4]],
            {},
            r"offsets and anchors must "
            r"have one row per anchor, got 3 and 1 rows",
        ),
        (
            encode_boxes,
            [[0, 0, 0, 2]],
            [[0, 0, 4, 4]],
            {},
            r"boxes must have width and height "
            r"> 0 to be encoded, got row 0 = \[0\.0, 0\.0, 0\.0, 2\.0\]",
        ),
        (encode_boxes, [[3, 0, 2, 2]], [[0, 0, 4, 4]], {}, r"x1 <= x2 and y1 <= y2"),
        (decode_boxes, [[np.nan, 0, 0, 0]], [[0, 0, 4, 4]], {}, r"offsets must be finite"),
        (
            encode_boxes,
            [[0, 0, 2, 2]],
            [[0, 0, 4, 4]],
            {"variances": (1, 1, 0, 1)},
            r"variances must all be > 0, got \[1\.0, 1\.0, 0\.0, 1\.0\]",
        ),
        (
            decode_boxes,
            [[0, 0, 2, 2]],
            [[0, 0, 4, 4]],
            {"variances": (1, 1)},
            r"variances must have shape \(4,\)",
        ),
    ],
)
def test_bad_input(function, values, anchors, kwargs, message):
    with pytest.raises(ValueError, match=message):
        function(values, anchors, **kwargs)


def reference_match(anchors, gt, threshold):
    """match_anchors written as loops, from its docstring."""
    iou = box_iou(anchors, gt)
    matched = [-1] * len(anchors)
    for a in range(len(anchors)):
        best = max(range(len(gt)), key=lambda g: (iou[a, g], -g))  # first of equal IoUs
        if iou[a, best] >= threshold:
            matched[a] = best
    for g in range(len(gt)):
        best_anchor = max(range(len(anchors)), key=lambda a: (iou[a, g], -a))
        matched[best_anchor] = g
    return np.array(matched)


@given(
    st.integers(1, 30),
    st.integers(0, 6),
    st.floats(0, 1),
    st.integers(0, 2**32 - 1),
)
def test_match_anchors_equals_the_loops(n_anchors, n_gt, threshold, seed):
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 40, size=(n_anchors + n_gt, 2, 2)).astype(float)  # ties happen
    boxes = np.concatenate([corners.min(1), corners.max(1) + 1], axis=1)
    anchors, gt = boxes[:n_anchors], boxes[n_anchors:]
    matched = match_anchors(anchors, gt, threshold)
    expected = reference_match(anchors, gt, threshold) if n_gt else np.full(n_anchors, -1)
    np.testing.assert_array_equal(matched, expected)


def test_match_by_hand_and_the_best_anchor_below_the_threshold():
    anchors = [[0, 0, 10, 10], [10, 0, 20, 10], [30, 30, 40, 40]]
    # box 0: IoU 90/110 with anchor 0, above 0.7; box 1: IoU 80/140 with anchor 2, below
    gt = [[1, 0, 11, 10], [32, 30, 44, 40], [12, 2, 14, 4]]
    matched = match_anchors(anchors, gt, iou_threshold=0.7)
    # boxes 1 and 2 (IoU 4/100 with anchor 1) are matched all the same: to their best anchors
    np.testing.assert_array_equal(matched, [0, 2, 1])
    np.testing.assert_array_equal(match_anchors(anchors, np.zeros((0, 4)), 0.5), [-1, -1, -1])
    np.testing.assert_array_equal(match_anchors(anchors, [], 0.5), [-1, -1, -1])


def test_match_bad_input():
    with pytest.raises(ValueError, match=r"iou_threshold must lie in \[0, 1\], got 1\.5"):
        match_anchors([[0, 0, 1, 1]], [[0, 0, 1, 1]], 1.5)
    with pytest.raises(ValueError, match=r"gt_boxes must have shape \(N, 4\)"):
        match_anchors([[0, 0, 1, 1]], [[0, 0, 1]], 0.5)


def test_grid_anchors_equals_make_anchors_cell_by_cell():
    sizes, ratios = [6.0, 10.0], [0.5, 1.0, 2.0]
    grid = grid_anchors(3, stride=8, sizes=sizes, aspect_ratios=ratios)
    expected = [
        make_anchors(sizes, ratios, center=((j + 0.5) * 8, (i + 0.5) * 8))
        for i in range(3)
        for j in range(3)
    ]
    np.testing.assert_array_equal(grid, np.concatenate(expected))
    with pytest.raises(ValueError, match=r"stride must be > 0, got 0"):
        grid_anchors(3, stride=0, sizes=[4])
    with pytest.raises(ValueError, match=r"feature_size must be >= 1, got 0"):
        grid_anchors(0, stride=4, sizes=[4])


def test_anchor_targets_by_hand():
    anchors = [[0, 0, 8, 8], [8, 0, 16, 8], [0, 8, 8, 16]]
    classes, offsets = anchor_targets(anchors, [[8, 0, 16, 16]], [1], variances=(1, 1, 1, 1))
    # IoU with anchor 1 is 64/128 = 0.5: matched; anchors 0 and 2 overlap it not at all
    np.testing.assert_array_equal(classes, [-1, 1, -1])
    np.testing.assert_allclose(
        offsets, [[0, 0, 0, 0], [0, 0.5, 0, np.log(2)], [0, 0, 0, 0]], rtol=1e-6, atol=0
    )
    assert offsets.dtype == np.float32
    none = anchor_targets(anchors, np.zeros((0, 4)), np.zeros(0, dtype=int))
    np.testing.assert_array_equal(none[0], [-1, -1, -1])
    np.testing.assert_array_equal(none[1], np.zeros((3, 4)))
    with pytest.raises(
        ValueError,
        match=r"gt_labels must be 1 integers \(one per box\), "
        r"got float64 of shape \(1,\)",
    ):
        anchor_targets(anchors, [[8, 0, 16, 16]], [1.0])
    with pytest.raises(ValueError, match=r"got int64 of shape \(2,\)"):
        anchor_targets(anchors, [[8, 0, 16, 16]], np.array([1, 2]))
