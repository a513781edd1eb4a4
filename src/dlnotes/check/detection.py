"""Checker for the one-stage detection chapter: encoding boxes against anchors (SSD offsets)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.box_coding import encode_boxes
from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check

__all__ = ["ssd_encode"]


def _random_boxes(rng: np.random.Generator, n: int) -> np.ndarray:
    corner = rng.uniform(0, 60, (n, 2))
    size = rng.uniform(6, 40, (n, 2))
    return np.concatenate([corner, corner + size], axis=1)


def _cases() -> list[Case]:
    rng = np.random.default_rng(2030)
    cases = []
    for n, variances, label in (
        (3, (0.1, 0.1, 0.2, 0.2), "3 对框和锚框、SSD 的方差 (0.1, 0.1, 0.2, 0.2)"),
        (1, (0.1, 0.1, 0.2, 0.2), "只有 1 对框和锚框的输入"),
        (5, (0.2, 0.1, 0.5, 0.25), "5 对框和锚框、另一组方差"),
    ):
        cases.append(
            Case(
                {
                    "boxes": _random_boxes(rng, n),
                    "anchors": _random_boxes(rng, n),
                    "variances": np.array(variances),
                },
                label,
            )
        )
    return cases


def _centre(b):
    return (b[:, :2] + b[:, 2:]) / 2


def _size(b):
    return b[:, 2:] - b[:, :2]


def _offsets(t_xy, t_wh, variances):
    return np.concatenate([t_xy, t_wh], axis=1) / variances


_ENCODE = Exercise(
    name="ssd_encode",
    example_call="check.ssd_encode(my_encode)",
    reference=lambda boxes, anchors, variances: encode_boxes(boxes, anchors, variances),
    cases=_cases,
    mistakes=(
        Mistake(
            lambda boxes, anchors, variances: encode_boxes(boxes, anchors, (1, 1, 1, 1)),
            "没有用上 variances：四个偏移量最后还要分别除以对应的方差。",
        ),
        Mistake(
            lambda boxes, anchors, variances: (
                encode_boxes(boxes, anchors, (1, 1, 1, 1)) * variances
            ),
            "variances 用反了：偏移量要除以方差，而不是乘以方差。",
        ),
        Mistake(
            lambda boxes, anchors, variances: _offsets(
                (_centre(boxes) - _centre(anchors)) / _size(anchors),
                _size(boxes) / _size(anchors),
                variances,
            ),
            "宽和高的偏移量要取对数：t_w、t_h 是宽（高）之比的对数。",
        ),
        Mistake(
            lambda boxes, anchors, variances: _offsets(
                (_centre(boxes) - _centre(anchors)) / _size(anchors),
                np.log(_size(anchors) / _size(boxes)),
                variances,
            ),
            "宽高之比取反了：t_w、t_h 的符号正好相反。",
        ),
        Mistake(
            lambda boxes, anchors, variances: _offsets(
                (_centre(boxes) - _centre(anchors)) / _size(boxes),
                np.log(_size(boxes) / _size(anchors)),
                variances,
            ),
            "中心的偏移量要除以锚框的宽和高，而不是真实框的宽和高。",
        ),
        Mistake(
            lambda boxes, anchors, variances: _offsets(
                (boxes[:, :2] - anchors[:, :2]) / _size(anchors),
                np.log(_size(boxes) / _size(anchors)),
                variances,
            ),
            "t_x、t_y 用的是左上角的差，应当用两个框的中心之差。",
        ),
        Mistake(
            lambda boxes, anchors, variances: encode_boxes(anchors, boxes, variances),
            "真实框和锚框的角色对调了：编码的是真实框相对于锚框的偏移。",
        ),
        Mistake(
            lambda boxes, anchors, variances: encode_boxes(boxes, anchors, variances)[
                :, [2, 3, 0, 1]
            ],
            "四个分量的顺序不对：中心的两个偏移在前，宽高的两个偏移在后。",
        ),
    ),
    sensitive=("boxes", "anchors", "variances"),
)


def ssd_encode(func: Callable[..., np.ndarray]) -> CheckResult:
    """Check a learner's box encoder ``func(boxes, anchors, variances)`` on hidden inputs.

    Parameters
    ----------
    func : callable
        ``func(boxes, anchors, variances)`` with ``boxes`` (N, 4) and ``anchors`` (N, 4) as
        corner rows ``(x1, y1, x2, y2)`` and ``variances`` (4,); it must return the (N, 4)
        float array of SSD offsets ``(t_x, t_y, t_w, t_h)`` of each box against its anchor.
        The arguments are passed by name.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> from dlnotes.box_coding import encode_boxes
    >>> ssd_encode(lambda boxes, anchors, variances: encode_boxes(boxes, anchors, variances))
    正确！<lambda> 在 3 组隐藏的测试输入上都与参考实现一致。
    """
    return run_check(_ENCODE, func)
