"""The luma checker of the edge-detection chapter: correct answers pass, each typical mistake
(BGR order, plain mean, wrong axis, rounding, wrong coefficients) gets its own diagnosis, and
no message reveals the reference values."""

from __future__ import annotations

import checker_contract as contract
import numpy as np
import pytest

from dlnotes import check
from dlnotes.check._diagnose import Case, _reference
from dlnotes.check.edges import _LUMA

# ---- independent correct implementations, written here and not taken from dlnotes ----


def gray_channels(img):
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    return 0.299 * r + 0.587 * g + 0.114 * b


def gray_einsum(img):
    return np.einsum("hwc,c->hw", img, np.array([0.299, 0.587, 0.114]))


def gray_loop(img):
    out = np.zeros(img.shape[:2])
    for i in range(img.shape[0]):
        for j in range(img.shape[1]):
            out[i, j] = sum(w * v for w, v in zip((0.299, 0.587, 0.114), img[i, j]))
    return out


@pytest.mark.parametrize("func", [gray_channels, gray_einsum, gray_loop], ids=lambda f: f.__name__)
def test_a_correct_implementation_passes(func):
    contract.assert_passes(check.luma(func), func)


def test_the_reference_itself_passes():
    assert check.luma(_LUMA.reference)


def test_the_reference_agrees_with_a_hand_computation():
    img = np.array(
        [[[255.0, 0.0, 0.0], [0.0, 255.0, 0.0]], [[0.0, 0.0, 255.0], [10.0, 20.0, 30.0]]]
    )
    got = _reference(_LUMA, Case({"img": img}))
    # 0.299 * 255, 0.587 * 255, 0.114 * 255, and 2.99 + 11.74 + 3.42
    expected = np.array([[76.245, 149.685], [29.07, 18.15]])
    np.testing.assert_allclose(got, expected, rtol=1e-14)


# ---- typical wrong answers and the words their diagnosis must contain ----

W = np.array([0.299, 0.587, 0.114])


def gray_in_place(img):
    img *= W
    return img.sum(axis=2)


def gray_uint8_sum(img):
    """Channels added in uint8: wraps around above 255, and drops the fractions."""
    u = img.astype(np.uint8)
    return (u[..., 0] + u[..., 1] + u[..., 2]).astype(float) / 3


WRONG = [
    (lambda img: 0.114 * img[..., 0] + 0.587 * img[..., 1] + 0.299 * img[..., 2], "BGR"),
    (lambda img: img.sum(axis=2) / 3, "简单平均"),
    (lambda img: (img * W).sum(axis=0), "第一个轴"),
    (lambda img: (img * W).sum(axis=1), "第二个轴（图像的列）"),
    (lambda img: W @ img, "权重乘错了轴"),
    (lambda img: (img * W).sum(axis=2, keepdims=True), "长度为 1 的轴"),
    (lambda img: np.stack([gray_channels(img)] * 3, axis=-1), "三个（相同的）通道"),
    (lambda img: np.rint(gray_channels(img)), "四舍五入"),
    (lambda img: gray_channels(img).astype(np.uint8).astype(np.float64), "小数部分被截掉"),
    (lambda img: gray_channels(img).astype(np.uint8), "uint8 数组"),
    (lambda img: gray_channels(img) / 255, "不要除以 255"),
    (lambda img: img @ np.array([0.3, 0.59, 0.11]), "系数不对"),
    (lambda img: img @ np.array([0.3, 0.6, 0.1]), "系数不对"),
    (lambda img: img @ np.array([0.2126, 0.7152, 0.0722]), "BT.709"),
    (lambda img: img @ np.array([0.3, 0.6, 0.2]), "权重之和不是 1"),
    (lambda img: img[..., 1].copy(), "权重不是本章的 BT.601 系数"),
    (gray_uint8_sum, "结果不对"),
    (gray_in_place, "改动了传入的数组 img"),
    (lambda img: 2 * gray_channels(img), "约为正确答案的 2.00 倍"),
    (lambda img: -gray_channels(img), "符号反了"),
    (lambda img: gray_channels(img).T, "转置"),
    (lambda img: gray_channels(img)[:, :-1], "形状不对"),
    (lambda img: gray_channels(img).astype(np.float32), "float32"),
    (lambda img: gray_channels(img).tolist(), "list"),
    (lambda img: None, "忘了写 return"),
    (lambda img: np.tensordot(W, img, axes=1), "ValueError"),
]


@pytest.mark.parametrize("func, words", WRONG, ids=[w for _, w in WRONG])
def test_a_typical_mistake_gets_its_diagnosis(func, words):
    contract.assert_diagnosed(check.luma(func), words)


@pytest.mark.parametrize("index", range(len(_LUMA.mistakes)))
def test_each_listed_mistake_is_named_by_its_own_message(index):
    mistake = _LUMA.mistakes[index]
    assert check.luma(mistake.func).message == mistake.message


def test_the_listed_mistakes_have_different_messages():
    messages = [m.message for m in _LUMA.mistakes]
    assert len(set(messages)) == len(messages)


def test_no_hidden_luma_is_an_integer():
    # rounding to integers must change every case, or a rounded answer could pass one
    for case in _LUMA.cases():
        expected = _reference(_LUMA, case)
        assert np.any(np.abs(expected - np.rint(expected)) > 1e-3), case.label


@pytest.mark.parametrize("func, words", WRONG, ids=[w for _, w in WRONG])
def test_no_message_reveals_the_reference(func, words):
    contract.assert_reveals_nothing(
        repr(check.luma(func)),
        _LUMA,
        contract.FROM_THREE_DECIMALS,
        keep=contract.has_a_point,  # 254.97 to 3 digits is "255": says nothing
        # nor the coefficients the learner must use
        also_forbidden=('"', "0.299", "0.587", "0.114"),
    )


def test_the_hidden_inputs_are_the_same_every_time():
    contract.assert_cases_are_fixed(_LUMA)


def test_the_hidden_images_are_rgb_in_0_255():
    for case in _LUMA.cases():
        img = case.args["img"]
        assert img.dtype == np.float64 and img.ndim == 3 and img.shape[2] == 3
        assert img.min() >= 0 and img.max() <= 255


@pytest.mark.parametrize("not_a_function", [3, np.zeros((2, 2)), None, "my_gray"])
def test_passing_something_else_than_a_function_is_a_clear_error(not_a_function):
    contract.assert_refuses_a_non_function(check.luma, not_a_function, "check.luma(my_gray)")


def test_a_stub_says_it_is_not_implemented():
    def my_gray(img):
        raise NotImplementedError("请在这里写出你的实现")

    contract.assert_says_not_implemented(check.luma(my_gray))
