"""The box_iou_pairs checker of the detection-metrics chapter: correct answers pass, each typical
mistake (no clamping, union without the intersection, "+1" pixels, the N×N matrix, (x, y, w, h),
the wrong denominator, eps) gets its own diagnosis, and no message reveals the reference values."""

from __future__ import annotations

import checker_contract as contract
import numpy as np
import pytest

from dlnotes import check
from dlnotes.check._diagnose import Case, _reference
from dlnotes.check.boxes import _IOU_PAIRS

# ---- independent correct implementations, written here and not taken from dlnotes ----


def iou_vectorised(a, b):
    top_left = np.maximum(a[:, :2], b[:, :2])
    bottom_right = np.minimum(a[:, 2:], b[:, 2:])
    sides = np.clip(bottom_right - top_left, 0, None)
    inter = sides.prod(axis=1)
    area_a = np.prod(a[:, 2:] - a[:, :2], axis=1)
    area_b = np.prod(b[:, 2:] - b[:, :2], axis=1)
    return inter / (area_a + area_b - inter)


def iou_loop(a, b):
    out = []
    for (ax1, ay1, ax2, ay2), (bx1, by1, bx2, by2) in zip(a.tolist(), b.tolist()):
        w = max(0.0, min(ax2, bx2) - max(ax1, bx1))
        h = max(0.0, min(ay2, by2) - max(ay1, by1))
        union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - w * h
        out.append(w * h / union)
    return np.array(out)


def iou_guarded(a, b):
    """Also defines the 0/0 of two zero-area boxes (as 0), which the hidden cases never reach."""
    inter = np.prod(
        np.maximum(np.minimum(a[:, 2:], b[:, 2:]) - np.maximum(a[:, :2], b[:, :2]), 0), axis=1
    )
    union = np.prod(a[:, 2:] - a[:, :2], axis=1) + np.prod(b[:, 2:] - b[:, :2], axis=1) - inter
    return np.divide(inter, union, out=np.zeros_like(union), where=union > 0)


@pytest.mark.parametrize("func", [iou_vectorised, iou_loop, iou_guarded], ids=lambda f: f.__name__)
def test_a_correct_implementation_passes(func):
    contract.assert_passes(check.box_iou_pairs(func), func)


def test_the_reference_itself_passes():
    assert check.box_iou_pairs(_IOU_PAIRS.reference)


def test_the_reference_agrees_with_a_hand_computation():
    a = np.array([[0.0, 0.0, 2.0, 2.0], [0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 4.0, 4.0], [0, 0, 1, 1.0]])
    b = np.array([[1.0, 1.0, 3.0, 3.0], [2.0, 2.0, 3.0, 3.0], [1.0, 1.0, 3.0, 3.0], [1, 0, 2, 1.0]])
    got = _reference(_IOU_PAIRS, Case({"a": a, "b": b}))
    # overlap 1, union 4 + 4 - 1; apart; b inside a: 4 / 16; touching along an edge
    np.testing.assert_allclose(got, [1 / 7, 0.0, 0.25, 0.0], rtol=1e-15)
    assert got.shape == (4,)


def test_the_hidden_cases_never_divide_zero_by_zero():
    # the exercise promises that every union is positive: no box has a zero area
    for case in _IOU_PAIRS.cases():
        for boxes in case.args.values():
            assert boxes.dtype == np.float64 and boxes.ndim == 2 and boxes.shape[1] == 4
            assert np.all(boxes[:, 2:] > boxes[:, :2]), case.label


def test_the_hidden_cases_hold_every_kind_of_pair():
    iou = np.concatenate([_reference(_IOU_PAIRS, c) for c in _IOU_PAIRS.cases()])
    assert np.sum(iou == 0) >= 6 and np.sum(iou == 1) >= 1  # apart or touching; identical
    assert np.sum((iou > 0) & (iou < 1)) >= 20
    touching = _IOU_PAIRS.cases()[1].args
    assert touching["b"][5, 0] == touching["a"][5, 2]  # an edge in common: IoU exactly 0


# ---- typical wrong answers and the words their diagnosis must contain ----


def sides(a, b):
    w = np.minimum(a[:, 2], b[:, 2]) - np.maximum(a[:, 0], b[:, 0])
    h = np.minimum(a[:, 3], b[:, 3]) - np.maximum(a[:, 1], b[:, 1])
    return w, h


def areas(a, b, plus=0.0):
    return (
        (a[:, 2] - a[:, 0] + plus) * (a[:, 3] - a[:, 1] + plus),
        (b[:, 2] - b[:, 0] + plus) * (b[:, 3] - b[:, 1] + plus),
    )


def iou_unclamped(a, b):
    w, h = sides(a, b)
    area_a, area_b = areas(a, b)
    return w * h / (area_a + area_b - w * h)


def iou_product_clamped(a, b):
    w, h = sides(a, b)
    inter = np.maximum(w * h, 0)
    area_a, area_b = areas(a, b)
    return inter / (area_a + area_b - inter)


def iou_plus_one(a, b):
    w, h = sides(a, b)
    inter = np.maximum(w + 1, 0) * np.maximum(h + 1, 0)
    area_a, area_b = areas(a, b, plus=1.0)
    return inter / (area_a + area_b - inter)


def intersection(a, b):
    w, h = sides(a, b)
    return np.maximum(w, 0) * np.maximum(h, 0)


def iou_matrix(a, b):
    return np.stack([iou_vectorised(np.repeat(a[i : i + 1], len(b), 0), b) for i in range(len(a))])


def iou_xywh(a, b):
    def corners(boxes):
        return np.concatenate([boxes[:, :2], boxes[:, :2] + boxes[:, 2:]], axis=1)

    return iou_vectorised(corners(a), corners(b))


def iou_enclosing(a, b):
    w = np.maximum(a[:, 2], b[:, 2]) - np.minimum(a[:, 0], b[:, 0])
    h = np.maximum(a[:, 3], b[:, 3]) - np.minimum(a[:, 1], b[:, 1])
    area_a, area_b = areas(a, b)
    return w * h / (area_a + area_b - w * h)


def iou_eps(eps):
    def iou(a, b):
        inter = intersection(a, b)
        area_a, area_b = areas(a, b)
        return inter / (area_a + area_b - inter + eps)

    return iou


def iou_smoothed(a, b):
    inter = intersection(a, b)
    area_a, area_b = areas(a, b)
    return (inter + 1e-9) / (area_a + area_b - inter + 1e-9)


def iou_width_only_clamped(a, b):
    w, h = sides(a, b)
    inter = np.maximum(w, 0) * h  # the height may still be negative
    area_a, area_b = areas(a, b)
    return inter / (area_a + area_b - inter)


def iou_over_union_minus_intersection(a, b):
    inter = intersection(a, b)
    area_a, area_b = areas(a, b)
    return inter / (area_a + area_b - 2 * inter)


def iou_in_place(a, b):
    a[:, 2:] = np.minimum(a[:, 2:], b[:, 2:])  # the intersection written over a
    return iou_vectorised(a, b)


WRONG = [
    (iou_unclamped, "没有截到 0"),
    (iou_product_clamped, "只把交集的面积截到 0 还不够"),
    (lambda a, b: intersection(a, b) / np.sum(areas(a, b), axis=0), "重叠的部分被算了两次"),
    (iou_plus_one, "“+1”的像素约定"),
    (iou_matrix, "N×N 的矩阵"),
    (iou_xywh, "（x, y, 宽, 高）"),
    (lambda a, b: intersection(a, b) / np.minimum(*areas(a, b)), "较小的那个框的面积"),
    (lambda a, b: intersection(a, b) / areas(a, b)[0], "除以的是 a 的面积"),
    (lambda a, b: intersection(a, b) / areas(a, b)[1], "除以的是 b 的面积"),
    (iou_enclosing, "角点取反了"),
    (iou_eps(1e-6), "eps"),
    (iou_eps(1e-9), "eps"),
    (iou_smoothed, "eps"),
    (iou_width_only_clamped, "负的 IoU"),
    (iou_over_union_minus_intersection, "大于 1 的 IoU"),
    (iou_in_place, "改动了传入的数组 a"),
    (lambda a, b: 2 * iou_vectorised(a, b), "约为正确答案的 2.00 倍"),
    (lambda a, b: -iou_vectorised(a, b), "符号反了"),
    (lambda a, b: iou_vectorised(a, b)[:, None], "形状不对"),
    (lambda a, b: iou_vectorised(a, b)[:-1], "形状不对"),
    (lambda a, b: iou_vectorised(a, b).astype(np.float32), "float32"),
    (lambda a, b: iou_vectorised(a, b) > 0.5, "bool"),
    (lambda a, b: iou_vectorised(a, b).tolist(), "list"),
    (lambda a, b: None, "忘了写 return"),
    (lambda a, b: iou_vectorised(a, b.T), "ValueError"),
    (lambda a, b: iou_vectorised(a, a + 1.0), "不随 b 变化"),
]


@pytest.mark.parametrize("func, words", WRONG, ids=[w for _, w in WRONG])
def test_a_typical_mistake_gets_its_diagnosis(func, words):
    contract.assert_diagnosed(check.box_iou_pairs(func), words)


@pytest.mark.parametrize("index", range(len(_IOU_PAIRS.mistakes)))
def test_each_listed_mistake_is_named_by_its_own_message(index):
    mistake = _IOU_PAIRS.mistakes[index]
    assert check.box_iou_pairs(mistake.func).message == mistake.message


def test_the_listed_mistakes_have_different_messages():
    messages = [m.message for m in _IOU_PAIRS.mistakes]
    assert len(set(messages)) == len(messages)


def test_an_eps_small_enough_for_the_tiny_boxes_passes():
    # machine epsilon next to areas of about 1e-6: a relative error of about 1e-10
    assert check.box_iou_pairs(iou_eps(np.finfo(float).eps))


@pytest.mark.parametrize("func, words", WRONG, ids=[w for _, w in WRONG])
def test_no_message_reveals_the_reference(func, words):
    contract.assert_reveals_nothing(
        repr(check.box_iou_pairs(func)),
        _IOU_PAIRS,
        contract.FROM_THREE_DECIMALS,
        also_forbidden=('"',),
    )


def test_the_hidden_inputs_are_the_same_every_time():
    contract.assert_cases_are_fixed(_IOU_PAIRS)


@pytest.mark.parametrize("not_a_function", [3, np.zeros((2, 4)), None, "my_iou"])
def test_passing_something_else_than_a_function_is_a_clear_error(not_a_function):
    contract.assert_refuses_a_non_function(
        check.box_iou_pairs, not_a_function, "check.box_iou_pairs(my_iou)"
    )


def test_a_stub_says_it_is_not_implemented():
    def my_iou(a, b):
        raise NotImplementedError("请在这里写出你的实现")

    contract.assert_says_not_implemented(check.box_iou_pairs(my_iou))
