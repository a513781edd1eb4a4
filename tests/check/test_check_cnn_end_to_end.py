"""The batch-norm checker of the CNN end-to-end chapter: correct answers pass, each typical
mistake gets its own diagnosis, the naive variance is caught as unreliable, and no message
reveals the reference values."""

from __future__ import annotations

import math

import checker_contract as contract
import numpy as np
import pytest

from dlnotes import check
from dlnotes.check._diagnose import Case, _reference
from dlnotes.check.cnn_end_to_end import _BATCH_NORM

# ---- independent correct implementations, written here and not taken from dlnotes ----


def bn_channels_last(x, gamma, beta, eps):
    """Move the channels to the front, flatten each channel, normalise row by row."""
    c = x.shape[1]
    rows = np.moveaxis(x, 1, 0).reshape(c, -1)
    mean = rows.sum(axis=1, keepdims=True) / rows.shape[1]
    centred = rows - mean
    var = (centred * centred).sum(axis=1, keepdims=True) / rows.shape[1]
    out = gamma[:, None] * centred / np.sqrt(var + eps) + beta[:, None]
    return np.moveaxis(out.reshape((c,) + x.shape[:1] + x.shape[2:]), 0, 1)


def bn_loop(x, gamma, beta, eps):
    """One channel at a time, with math.fsum for the sums."""
    out = np.empty_like(x)
    for c in range(x.shape[1]):
        values = x[:, c]
        mean = math.fsum(values.ravel()) / values.size
        var = math.fsum(((values - mean) ** 2).ravel()) / values.size
        out[:, c] = gamma[c] * (values - mean) / math.sqrt(var + eps) + beta[c]
    return out


def _p(v):
    return v.reshape(1, -1, 1, 1)


def bn_with(x, gamma, beta, eps, axes=(0, 2, 3), ddof=0):
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True, ddof=ddof)
    return _p(gamma) * (x - mean) / np.sqrt(var + eps) + _p(beta)


def bn_naive_variance(x, gamma, beta, eps):
    """E[x^2] - E[x]^2: right on ordinary inputs, cancels on the huge-offset channel."""
    mean = x.mean(axis=(0, 2, 3), keepdims=True)
    var = (x**2).mean(axis=(0, 2, 3), keepdims=True) - mean**2
    return _p(gamma) * (x - mean) / np.sqrt(var + eps) + _p(beta)


@pytest.mark.parametrize("func", [bn_channels_last, bn_loop, bn_with], ids=lambda f: f.__name__)
def test_a_correct_implementation_passes(func):
    contract.assert_passes(check.batch_norm_train(func), func)


def test_the_reference_itself_passes():
    assert check.batch_norm_train(_BATCH_NORM.reference)


def test_the_reference_agrees_with_a_hand_computation():
    # channel 0 holds 1 and 3 (mean 2, biased variance 1); channel 1 holds 2 and 6 (mean 4,
    # biased variance 4); gamma = (2, 0.5), beta = (10, -1)
    x = np.array([[[[1.0]], [[2.0]]], [[[3.0]], [[6.0]]]])
    args = {"x": x, "gamma": np.array([2.0, 0.5]), "beta": np.array([10.0, -1.0]), "eps": 0.25}
    got = _reference(_BATCH_NORM, Case(args))
    s0, s1 = math.sqrt(1.25), math.sqrt(4.25)
    expected = np.array(
        [[[[10 - 2 / s0]], [[-1 - 0.5 * 2 / s1]]], [[[10 + 2 / s0]], [[-1 + 1 / s1]]]]
    )
    np.testing.assert_allclose(got, expected, rtol=1e-14)


# ---- typical wrong answers and the words their diagnosis must contain ----


def bn_in_place(x, gamma, beta, eps):
    x -= x.mean(axis=(0, 2, 3), keepdims=True)
    return bn_with(x, gamma, beta, eps)


def bn_nan_on_huge(x, gamma, beta, eps):
    out = bn_with(x, gamma, beta, eps)
    if x.max() > 1e7:
        out[:, 1] = np.nan  # what sqrt of a negative naive variance gives
    return out


def _std_denominator(x, eps, outside):
    std = x.std(axis=(0, 2, 3), keepdims=True)
    return std + eps if outside else np.sqrt(std**2 + eps)


WRONG = [
    (lambda x, gamma, beta, eps: bn_with(x, gamma, beta, eps, axes=(1, 2, 3)), "层归一化"),
    (lambda x, gamma, beta, eps: bn_with(x, gamma, beta, eps, axes=(2, 3)), "N 轴"),
    (lambda x, gamma, beta, eps: bn_with(x, gamma, beta, eps, axes=(0,)), "每个像素位置"),
    (lambda x, gamma, beta, eps: bn_with(x, gamma, beta, eps, axes=None), "混在一起"),
    (lambda x, gamma, beta, eps: bn_with(x, gamma, beta, eps, ddof=1), "无偏估计"),
    (
        lambda x, gamma, beta, eps: (
            _p(gamma) * (x - x.mean(axis=(0, 2, 3), keepdims=True)) / _std_denominator(x, eps, True)
            + _p(beta)
        ),
        "eps 加错了位置",
    ),
    (lambda x, gamma, beta, eps: bn_with(x, gamma, beta, 0.0), "没有用上 eps"),
    (
        lambda x, gamma, beta, eps: (
            _p(gamma)
            * (x - x.mean(axis=(0, 2, 3), keepdims=True))
            / (x.var(axis=(0, 2, 3), keepdims=True) + eps)
            + _p(beta)
        ),
        "除以的是方差",
    ),
    (lambda x, gamma, beta, eps: bn_with(x, beta, gamma, eps), "gamma 和 beta 用反了"),
    (lambda x, gamma, beta, eps: bn_with(x, gamma, np.zeros_like(beta), eps), "漏掉了 beta"),
    (lambda x, gamma, beta, eps: bn_with(x, np.ones_like(gamma), beta, eps), "漏掉了 gamma"),
    (
        lambda x, gamma, beta, eps: bn_with(x, np.ones_like(gamma), np.zeros_like(beta), eps),
        "只做了标准化",
    ),
    (bn_naive_variance, "数值不可靠"),
    (bn_nan_on_huge, "数值不可靠"),
    (bn_in_place, "改动了传入的数组 x"),
    (lambda x, gamma, beta, eps: 2 * bn_with(x, gamma, beta, eps), "约为正确答案的 2.00 倍"),
    (lambda x, gamma, beta, eps: -bn_with(x, gamma, beta, eps), "符号反了"),
    (lambda x, gamma, beta, eps: bn_with(x, gamma, beta, eps).transpose(0, 2, 3, 1), "形状不对"),
    (lambda x, gamma, beta, eps: bn_with(x, gamma, beta, eps)[..., 0], "形状不对"),
    (lambda x, gamma, beta, eps: bn_with(x, gamma, beta, eps).astype(np.float32), "float32"),
    (lambda x, gamma, beta, eps: None, "忘了写 return"),
    (
        lambda x, gamma, beta, eps: (
            gamma * (x - x.mean(axis=(0, 2, 3), keepdims=True)) / np.sqrt(x.var() + eps) + beta
        ),
        "ValueError",
    ),
]


@pytest.mark.parametrize("func, words", WRONG, ids=[w for _, w in WRONG])
def test_a_typical_mistake_gets_its_diagnosis(func, words):
    contract.assert_diagnosed(check.batch_norm_train(func), words)


@pytest.mark.parametrize("index", range(len(_BATCH_NORM.mistakes)))
def test_each_listed_mistake_is_named_by_its_own_message(index):
    mistake = _BATCH_NORM.mistakes[index]
    assert check.batch_norm_train(mistake.func).message == mistake.message


def test_the_listed_mistakes_have_different_messages():
    messages = [m.message for m in _BATCH_NORM.mistakes]
    assert len(set(messages)) == len(messages)


def test_the_unbiased_variance_shows_in_a_case_with_few_values_per_channel():
    sizes = [c.args["x"].size // c.args["x"].shape[1] for c in _BATCH_NORM.cases()]
    assert min(sizes) <= 4  # sqrt(m / (m - 1)) >= 1.15: far outside round-off


def test_the_naive_variance_really_cancels_on_the_extreme_case():
    (case,) = [c for c in _BATCH_NORM.cases() if c.extreme]
    x = case.args["x"]
    naive = (x**2).mean(axis=(0, 2, 3)) - x.mean(axis=(0, 2, 3)) ** 2
    two_pass = x.var(axis=(0, 2, 3))
    assert abs(naive[1] - two_pass[1]) > 0.1 * two_pass[1]
    np.testing.assert_allclose(naive[[0, 2]], two_pass[[0, 2]], rtol=1e-9)


@pytest.mark.parametrize("func, words", WRONG, ids=[w for _, w in WRONG])
def test_no_message_reveals_the_reference(func, words):
    contract.assert_reveals_nothing(
        repr(check.batch_norm_train(func)),
        _BATCH_NORM,
        contract.FROM_THREE_DECIMALS,
        keep=contract.has_a_point,  # 1.9996 to 3 digits is "2": says nothing
        also_forbidden=('"',),
    )


def test_the_hidden_inputs_are_the_same_every_time():
    contract.assert_cases_are_fixed(_BATCH_NORM)


@pytest.mark.parametrize("not_a_function", [3, np.zeros((2, 2)), None, "my_bn"])
def test_passing_something_else_than_a_function_is_a_clear_error(not_a_function):
    contract.assert_refuses_a_non_function(
        check.batch_norm_train, not_a_function, "check.batch_norm_train(my_bn)"
    )


def test_a_stub_says_it_is_not_implemented():
    def my_bn(x, gamma, beta, eps):
        raise NotImplementedError("请在这里写出你的实现")

    contract.assert_says_not_implemented(check.batch_norm_train(my_bn))
