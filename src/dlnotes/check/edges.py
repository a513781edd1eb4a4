"""Checker for the edge-detection chapter: the BT.601 luma of an RGB image."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlnotes.check._diagnose import Case, CheckResult, Exercise, Mistake, run_check
from dlnotes.edges.grayscale import BT601, to_grayscale

__all__ = ["luma"]


def _saturated(rng: np.random.Generator) -> np.ndarray:
    """Pure white, black and primary colours, and pixels a hair below 255 or above 0."""
    pure = np.array(
        [[255, 255, 255], [0, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]],
        dtype=float,
    )
    near = np.concatenate([255 - rng.uniform(0, 1, (4, 3)), rng.uniform(0, 1, (2, 3))])
    return np.concatenate([pure, near]).reshape(3, 4, 3)


def _cases() -> list[Case]:
    rng = np.random.default_rng(2083)
    return [
        # width 3 first: ``weights @ img`` then runs and gives an (H, W) result, to be diagnosed
        Case({"img": rng.uniform(0, 255, (4, 3, 3))}, "一张高 4、宽 3 的小图像"),
        Case({"img": rng.uniform(0, 255, (5, 7, 3))}, "一张高 5、宽 7 的图像"),
        Case({"img": rng.uniform(0, 255, (1, 6, 3))}, "只有 1 行像素的图像"),
        Case(
            {"img": rng.integers(0, 256, (6, 4, 3)).astype(np.float64)},
            "像照片那样取 0～255 的整数的图像",
        ),
        Case({"img": _saturated(rng)}, "纯白、纯黑、纯色和接近 0 或 255 的像素", extreme=True),
    ]


def _weighted(img: np.ndarray, weights) -> np.ndarray:
    return img @ np.asarray(weights, dtype=float)


def _reference(img: np.ndarray) -> np.ndarray:
    return to_grayscale(img)  # RGB order, float64, no rounding


_COEFFICIENTS = "系数不对："
_UINT8 = (
    "返回的是 uint8 数组：转换成 uint8 会截掉灰度值的小数部分。"
    "本题的灰度值保留小数，请返回 float64 数组。"
)


def _weights_problem(got: np.ndarray, case: Case) -> str | None:
    """Name a result that is some other weighted sum of the three channels."""
    img = case.args["img"].reshape(-1, 3)
    if got.shape != case.args["img"].shape[:2] or img.shape[0] < 3:
        return None
    weights, *_ = np.linalg.lstsq(img, got.ravel(), rcond=None)
    if not np.allclose(img @ weights, got.ravel(), rtol=1e-9, atol=1e-6):
        return None  # not a weighted sum of the channels
    if abs(weights.sum() - 1) > 1e-6:
        return (
            _COEFFICIENTS + "三个权重之和不是 1，所以灰色的像素（R、G、B 相同）转换之后亮度变了，"
            "白色也不再是 255。"
        )
    return _COEFFICIENTS + "结果是三个通道的加权和，权重之和也是 1，但权重不是本章的 BT.601 系数。"


_LUMA = Exercise(
    name="luma",
    example_call="check.luma(my_gray)",
    reference=_reference,
    cases=_cases,
    mistakes=(
        Mistake(
            lambda img: _weighted(img, BT601[::-1]),
            "通道顺序弄反了：你把三个权重按 B、G、R 的顺序用了，红色和蓝色的权重正好对调。"
            "这正是 OpenCV 的 BGR 与 RGB 之间的混淆；本题的输入是 RGB 顺序。",
        ),
        Mistake(
            lambda img: img.mean(axis=2),
            "你对三个通道求了简单平均。BT.601 的亮度是加权平均："
            "人眼对三种颜色的敏感程度不同，三个通道的权重也不相同。",
        ),
        Mistake(
            lambda img: (img * np.array(BT601)).sum(axis=0),
            "求和的轴不对：三个通道乘上权重之后，要在最后一个轴（颜色通道）上求和；"
            "你的结果像是沿第一个轴（图像的行）求了和。",
        ),
        Mistake(
            lambda img: (img * np.array(BT601)).sum(axis=1),
            "求和的轴不对：三个通道乘上权重之后，要在最后一个轴（颜色通道）上求和；"
            "你的结果像是沿第二个轴（图像的列）求了和。",
        ),
        Mistake(
            lambda img: np.array(BT601) @ img,
            "权重乘错了轴：三个权重要乘在最后一个轴（颜色通道）上，"
            "你的结果像是把它们乘在了第二个轴（图像的宽）上。检查矩阵乘法两边的顺序。",
        ),
        Mistake(
            lambda img: _reference(img)[..., None],
            "结果多了一个长度为 1 的轴：灰度图应当是 (H, W) 的二维数组，不要保留通道这一维。",
        ),
        Mistake(
            lambda img: np.repeat(_reference(img)[..., None], 3, axis=2),
            "结果仍有三个（相同的）通道：本题要的是 (H, W) 的二维灰度图，不是把灰度复制成三通道。",
        ),
        Mistake(
            lambda img: np.round(_reference(img)),
            "结果被四舍五入成了整数：本题的灰度值保留小数，不要取整，也不要转换成 uint8。",
        ),
        Mistake(
            lambda img: np.floor(_reference(img)),
            "结果的小数部分被截掉了（像是转换成了 uint8 或 int）：本题的灰度值保留小数，不要取整。",
        ),
        Mistake(
            lambda img: _reference(img) / 255,
            "结果的尺度不对：输入在 0～255 之间，灰度也应当保持 0～255 的尺度，不要除以 255。",
        ),
        Mistake(
            lambda img: _weighted(img, (0.3, 0.59, 0.11)),
            _COEFFICIENTS
            + "这像是 BT.601 系数的近似值（只保留了两位小数），本题要用本章给出的精确系数。",
        ),
        Mistake(
            lambda img: _weighted(img, (0.3, 0.6, 0.1)),
            _COEFFICIENTS
            + "这像是 BT.601 系数的近似值（只保留了一位小数），本题要用本章给出的精确系数。",
        ),
        Mistake(
            lambda img: _weighted(img, (0.2126, 0.7152, 0.0722)),
            _COEFFICIENTS + "这是高清电视标准 BT.709 的系数，本章用的是 BT.601。",
        ),
    ),
    properties=_weights_problem,
    sensitive=("img",),
)


def luma(func: Callable[[np.ndarray], np.ndarray]) -> CheckResult:
    """Check a learner's RGB-to-grey conversion ``func(img)`` (BT.601 luma) on hidden images.

    Parameters
    ----------
    func : callable
        ``func(img)`` with ``img`` of shape (H, W, 3), a float64 RGB image with values in
        [0, 255]; it must return the (H, W) float64 array of BT.601 luma values, on the same
        0..255 scale and not rounded. The argument is passed by name.

    Returns
    -------
    CheckResult
        Truthy when correct; its repr is the Chinese verdict or diagnosis.

    Examples
    --------
    >>> import numpy as np
    >>> result = luma(lambda img: img @ np.array([0.114, 0.587, 0.299]))   # BGR weights
    >>> bool(result), result.message.startswith("通道顺序弄反了")
    (False, True)
    """
    result = run_check(_LUMA, func)
    if not result and result.message.startswith("返回的数组是 uint8 "):
        return CheckResult(False, _UINT8)  # more specific than the engine's dtype message
    return result
