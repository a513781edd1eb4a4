"""Checker for the detection-metrics chapter: the IoU of boxes paired row by row."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.boxes import box_iou
from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check

__all__ = ["box_iou_pairs"]

_TINY = "坐标归一化到 0～1、边长只有约 0.001～0.01 的 6 对小框"


def _random_boxes(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    corner = rng.uniform(0, 100 - high, (n, 2))
    return np.concatenate([corner, corner + rng.uniform(low, high, (n, 2))], axis=1)


def _jittered(rng: np.random.Generator, boxes: np.ndarray, spread: float) -> np.ndarray:
    """Boxes near ``boxes``: corners moved by up to ``spread`` of each side, still valid."""
    size = np.tile(boxes[:, 2:] - boxes[:, :2], 2)
    moved = boxes + rng.uniform(-spread, spread, boxes.shape) * size
    return np.concatenate([moved[:, :2], np.maximum(moved[:, 2:], moved[:, :2] + 1e-3)], axis=1)


def _special_pairs(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Eight pairs in the positions that break the usual bugs (every box has a positive area)."""
    x, y = rng.uniform(10, 30, 2)
    w, h = rng.uniform(15, 25, 2)
    a = np.array([x, y, x + w, y + h])
    gap = rng.uniform(2, 6)
    inner = np.array([x + 0.2 * w, y + 0.3 * h, x + 0.7 * w, y + 0.8 * h])
    pairs = [
        (a, a + np.array([w + gap, h + gap, w + gap, h + gap])),  # apart in both directions
        (a, a + np.array([w + gap, 0.3 * h, w + gap, 0.3 * h])),  # apart left to right only
        (a, a + np.array([0.4 * w, h + gap, 0.4 * w, h + gap])),  # apart top to bottom only
        (a, inner),  # b inside a
        (inner, a),  # a inside b
        (a, np.array([x + w, y + 0.25 * h, x + 2 * w, y + 1.25 * h])),  # touching along an edge
        (a, np.array([x + w, y + h, x + 1.5 * w, y + 1.5 * h])),  # touching at a corner
        (a, a.copy()),  # identical
    ]
    return {"a": np.array([p[0] for p in pairs]), "b": np.array([p[1] for p in pairs])}


def _cases() -> list[Case]:
    rng = np.random.default_rng(2093)
    overlapping = _random_boxes(rng, 5, 10, 40)
    single = _random_boxes(rng, 1, 10, 40)
    tiny = np.concatenate([rng.uniform(0, 0.9, (6, 2))] * 2, axis=1)
    tiny[:, 2:] += rng.uniform(1e-3, 1e-2, (6, 2))
    tiny_b = _jittered(rng, tiny, 0.3)
    tiny_b[-1] = tiny[-1] + 0.05  # one pair of tiny boxes that do not meet
    near = _jittered(rng, overlapping, 0.2)
    a, b = overlapping.copy(), near.copy()
    a[1::2], b[1::2] = near[1::2], overlapping[1::2]  # so that neither a nor b is always smaller
    return [
        Case({"a": a, "b": b}, "5 对部分重叠的框"),
        Case(
            _special_pairs(rng),
            "8 对位置特殊的框（互不相交、一个在另一个里面、边挨着边、完全相同）",
        ),
        Case({"a": single, "b": _jittered(rng, single, 0.2)}, "只有 1 对框的输入"),
        Case(
            {"a": _random_boxes(rng, 12, 5, 50), "b": _random_boxes(rng, 12, 5, 50)},
            "12 对随机的框（有的相交，有的不相交）",
        ),
        Case({"a": tiny, "b": tiny_b}, _TINY, extreme=True),
    ]


def _reference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.diagonal(box_iou(a, b)).copy()  # box_iou pairs every a with every b


def _widths(a, b, plus=0.0):
    """Overlaps along x and y (not clamped) and the two areas, with ``plus`` added to each side."""
    w = np.minimum(a[:, 2], b[:, 2]) - np.maximum(a[:, 0], b[:, 0]) + plus
    h = np.minimum(a[:, 3], b[:, 3]) - np.maximum(a[:, 1], b[:, 1]) + plus
    area_a = (a[:, 2] - a[:, 0] + plus) * (a[:, 3] - a[:, 1] + plus)
    area_b = (b[:, 2] - b[:, 0] + plus) * (b[:, 3] - b[:, 1] + plus)
    return w, h, area_a, area_b


def _clamped(a, b, plus=0.0):
    w, h, area_a, area_b = _widths(a, b, plus)
    return np.maximum(w, 0) * np.maximum(h, 0), area_a, area_b


def _no_clamp(a, b):
    w, h, area_a, area_b = _widths(a, b)
    return w * h / (area_a + area_b - w * h)


def _clamp_product(a, b):
    w, h, area_a, area_b = _widths(a, b)
    inter = np.maximum(w * h, 0)
    return inter / (area_a + area_b - inter)


def _plus_one(a, b):
    inter, area_a, area_b = _clamped(a, b, plus=1.0)
    return inter / (area_a + area_b - inter)


def _sum_of_areas(a, b):
    inter, area_a, area_b = _clamped(a, b)
    return inter / (area_a + area_b)


def _over(which: str):
    def iou(a, b):
        inter, area_a, area_b = _clamped(a, b)
        denominator = {"a": area_a, "b": area_b, "min": np.minimum(area_a, area_b)}[which]
        return inter / denominator

    return iou


def _as_xywh(boxes):
    return np.concatenate([boxes[:, :2], boxes[:, :2] + boxes[:, 2:]], axis=1)


def _enclosing(a, b):
    """Corners chosen the wrong way round: the smallest box around both, not their overlap."""
    w = np.maximum(a[:, 2], b[:, 2]) - np.minimum(a[:, 0], b[:, 0])
    h = np.maximum(a[:, 3], b[:, 3]) - np.minimum(a[:, 1], b[:, 1])
    _, area_a, area_b = _clamped(a, b)
    return w * h / (area_a + area_b - w * h)


def _range_problem(got: np.ndarray, case: Case) -> str | None:
    if case.label == _TINY:  # every earlier, ordinary-sized case already agreed
        return (
            f"在{case.label}上结果不对，而在普通大小的框上都对了："
            "是不是在分母（或分子）上加了一个防止除以 0 的小常数（eps）？"
            "这样的框面积只有百万分之一左右，eps 与之相比并不小。"
            "本题每一对框的并集面积都大于 0，不需要 eps。"
        )
    if (got < 0).any():
        return "出现了负的 IoU：交集的面积不可能是负数。看看两个框不相交时你算出的交集。"
    if (got > 1).any():
        return "出现了大于 1 的 IoU：交集不可能比并集大。"
    return None


_NO_CLAMP = (
    "交集的宽和高没有截到 0：两个框不相交时，算出的“宽”或“高”是负数，"
    "一正一负得到负的“交集”，两个负数相乘还会得到正的“交集”。"
    "宽或高为负时，应当记为 0。"
)

_IOU_PAIRS = Exercise(
    name="box_iou_pairs",
    example_call="check.box_iou_pairs(my_iou)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(_no_clamp, _NO_CLAMP),
        Mistake(
            _clamp_product,
            "只把交集的面积截到 0 还不够：两个框在左右、上下两个方向都错开时，"
            "负的宽乘以负的高是正数。要分别把宽和高截到 0，再相乘。",
        ),
        Mistake(
            lambda a, b: box_iou(a, b),
            "返回的是 N×N 的矩阵（a 的每个框都与 b 的每个框算了一次）；"
            "本题只要逐行配对的 N 个 IoU：a 的第 i 行与 b 的第 i 行。",
        ),
        Mistake(
            _sum_of_areas,
            "并集算大了：两个框的面积直接相加，重叠的部分被算了两次，要减去一次交集。",
        ),
        Mistake(
            _plus_one,
            "用了“+1”的像素约定（老的 PASCAL VOC 代码把宽和高各多算 1 个像素）；"
            "本章的坐标是连续的，宽和高都不加 1。",
        ),
        Mistake(
            lambda a, b: _reference(_as_xywh(a), _as_xywh(b)),
            "把框读成了（x, y, 宽, 高）：本章每一行的后两个数是右下角的坐标 x2、y2，不是宽和高。",
        ),
        Mistake(
            _over("min"),
            "除以的是较小的那个框的面积：IoU 的分母是两个框的并集。"
            "（一个框在另一个里面时，你的结果是 1。）",
        ),
        Mistake(_over("a"), "除以的是 a 的面积：IoU 的分母是两个框的并集，不是其中一个框。"),
        Mistake(_over("b"), "除以的是 b 的面积：IoU 的分母是两个框的并集，不是其中一个框。"),
        Mistake(
            _enclosing,
            "交集的角点取反了：你算出的是同时包住两个框的最小矩形，不是它们重叠的部分。"
            "交集的左上角取两个左上角中靠右下的那个，右下角取两个右下角中靠左上的那个。",
        ),
    ),
    properties=_range_problem,
    sensitive=("a", "b"),
)


def box_iou_pairs(func: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> CheckResult:
    """Check ``func(a, b)``, the IoU of each pair of boxes ``a[i]``, ``b[i]``, on hidden inputs.

    Parameters
    ----------
    func : callable
        ``func(a, b)`` with ``a`` and ``b`` of shape (N, 4), rows ``(x1, y1, x2, y2)`` in the
        chapter's continuous coordinates (width ``x2 - x1``, no "+1"); it must return the (N,)
        float array whose entry i is the IoU of ``a[i]`` and ``b[i]``. Every hidden box has a
        positive area, so no union is 0. The arguments are passed by name.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> import numpy as np
    >>> def iou_without_clamping(a, b):
    ...     w = np.minimum(a[:, 2], b[:, 2]) - np.maximum(a[:, 0], b[:, 0])
    ...     h = np.minimum(a[:, 3], b[:, 3]) - np.maximum(a[:, 1], b[:, 1])
    ...     area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    ...     area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    ...     return w * h / (area_a + area_b - w * h)
    >>> box_iou_pairs(iou_without_clamping).message.startswith("交集的宽和高没有截到 0")
    True
    """
    return run_check(_IOU_PAIRS, func)
