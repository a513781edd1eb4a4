"""Every exercise checker: correct answers pass, each typical wrong answer gets its own
diagnosis, and no message reveals the reference values."""

from __future__ import annotations

import math

import checker_contract as contract
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes import check
from dlnotes.check.attention import _ATTENTION
from dlnotes.check.classification import _SOFTMAX
from dlnotes.check.detection import _ENCODE
from dlnotes.check.gan import _NONSATURATING
from dlnotes.check.recurrent import _RNN_STEP

# ---- independent correct implementations, written here and not taken from dlnotes ----


def softmax_good(z):
    shifted = z - np.max(z, axis=1)[:, None]
    e = np.exp(shifted)
    return e / np.sum(e, axis=1)[:, None]


def softmax_logsumexp(z):
    m = z.max(axis=1, keepdims=True)
    return np.exp(z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True)))


def rnn_good(x, h, w_ih, w_hh, b):
    stacked = np.concatenate([x, h], axis=1)
    weights = np.concatenate([w_ih, w_hh], axis=1)
    return np.tanh(np.einsum("nj,ij->ni", stacked, weights) + b)


def attention_good(q, k, v, mask):
    out = np.empty((q.shape[0], v.shape[1]))
    for i in range(q.shape[0]):
        scores = np.array([q[i] @ k[j] for j in range(k.shape[0])]) / math.sqrt(q.shape[1])
        scores[~mask[i]] = -1e30
        w = np.exp(scores - scores.max())
        out[i] = (w / w.sum()) @ v
    return out


def ns_grad_good(logits):
    d = 0.5 * (1 + np.tanh(logits / 2))  # sigmoid
    return (d - 1) / len(logits)


def encode_good(boxes, anchors, variances):
    out = []
    for (x1, y1, x2, y2), (a1, b1, a2, b2) in zip(boxes, anchors):
        aw, ah = a2 - a1, b2 - b1
        out.append(
            [
                ((x1 + x2) / 2 - (a1 + a2) / 2) / aw,
                ((y1 + y2) / 2 - (b1 + b2) / 2) / ah,
                math.log((x2 - x1) / aw),
                math.log((y2 - y1) / ah),
            ]
        )
    return np.array(out) / variances


CORRECT = [
    (check.softmax_rows, softmax_good),
    (check.softmax_rows, softmax_logsumexp),
    (check.rnn_step, rnn_good),
    (check.masked_attention, attention_good),
    (check.nonsaturating_grad, ns_grad_good),
    (check.ssd_encode, encode_good),
]
EXERCISES = {
    check.softmax_rows: _SOFTMAX,
    check.rnn_step: _RNN_STEP,
    check.masked_attention: _ATTENTION,
    check.nonsaturating_grad: _NONSATURATING,
    check.ssd_encode: _ENCODE,
}


@pytest.mark.parametrize("checker, func", CORRECT, ids=lambda f: f.__name__)
def test_a_correct_implementation_passes(checker, func):
    contract.assert_passes(checker(func), func)


@pytest.mark.parametrize("checker", list(EXERCISES), ids=lambda f: f.__name__)
def test_the_reference_itself_passes(checker):
    exercise = EXERCISES[checker]
    assert checker(exercise.reference)


# ---- typical wrong answers and the words their diagnosis must contain ----


def softmax_naive(z):
    return np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)


def softmax_in_place(z):
    z -= z.max(axis=1, keepdims=True)
    return softmax_naive(z)


WRONG = [
    (check.softmax_rows, softmax_naive, "数值不稳定"),
    (check.softmax_rows, softmax_in_place, "改动了传入的数组 z"),
    (check.softmax_rows, lambda z: softmax_good(z).T, "转置"),
    (check.softmax_rows, lambda z: softmax_good(z)[:, :-1], "形状不对"),
    (check.softmax_rows, lambda z: 2 * softmax_good(z), "约为正确答案的 2.00 倍"),
    (check.softmax_rows, lambda z: -softmax_good(z), "符号反了"),
    (check.softmax_rows, lambda z: np.exp(z - z.max(axis=1, keepdims=True)), "没有归一化"),
    (check.softmax_rows, lambda z: softmax_good(z.T).T, "归一化的方向不对"),
    (check.softmax_rows, lambda z: np.log(softmax_good(z)), "log-softmax"),
    (check.softmax_rows, lambda z: softmax_good(-z), "方向反了"),
    (check.softmax_rows, lambda z: softmax_good(z).astype(np.float32), "float32"),
    (check.softmax_rows, lambda z: (z > 0).astype(int), "int64"),
    (check.softmax_rows, lambda z: softmax_good(z).tolist(), "list"),
    (check.softmax_rows, lambda z: None, "忘了写 return"),
    (check.softmax_rows, lambda z: (softmax_good(z), z), "tuple"),
    (check.softmax_rows, lambda z: np.full_like(z, 1 / z.shape[1]), "不随 z 变化"),
    (check.rnn_step, lambda x, h, w_ih, w_hh, b: x @ w_ih.T + h @ w_hh.T + b, "tanh"),
    (
        check.rnn_step,
        lambda x, h, w_ih, w_hh, b: 1 / (1 + np.exp(-(x @ w_ih.T + h @ w_hh.T + b))),
        "不是 sigmoid",
    ),
    (check.rnn_step, lambda x, h, w_ih, w_hh, b: np.tanh(x @ w_ih.T + b), "不随 h 变化"),
    (check.rnn_step, lambda x, h, w_ih, w_hh, b: np.tanh(x @ w_ih.T + h @ w_hh.T), "偏置 b"),
    (
        check.rnn_step,
        lambda x, h, w_ih, w_hh, b: np.tanh(x @ w_ih.T + h @ w_hh + b),
        "w_hh 的方向用反了",
    ),
    (check.rnn_step, lambda x, h, w_ih, w_hh, b: np.tanh(x @ w_ih + h @ w_hh.T + b), "ValueError"),
    (
        check.masked_attention,
        lambda q, k, v, mask: softmax_good(np.where(mask, q @ k.T, -np.inf)) @ v,
        "缺少缩放",
    ),
    (
        check.masked_attention,
        lambda q, k, v, mask: softmax_good(np.where(mask, q @ k.T / q.shape[1], -np.inf)) @ v,
        "缩放因子不对",
    ),
    (
        check.masked_attention,
        lambda q, k, v, mask: softmax_good(q @ k.T / math.sqrt(q.shape[1])) @ v,
        "没有用上 mask",
    ),
    (
        check.masked_attention,
        lambda q, k, v, mask: (
            softmax_good(np.where(~mask, q @ k.T / math.sqrt(q.shape[1]), -1e9)) @ v
        ),
        "mask 的含义反了",
    ),
    (
        check.masked_attention,
        lambda q, k, v, mask: softmax_good(mask * (q @ k.T) / math.sqrt(q.shape[1])) @ v,
        "只设成了 0",
    ),
    (
        check.masked_attention,
        lambda q, k, v, mask: (
            softmax_good(np.where(mask, q @ k.T, -1e9).T / math.sqrt(q.shape[1])).T @ v
        ),
        "softmax 的方向不对",
    ),
    (
        check.masked_attention,
        lambda q, k, v, mask: softmax_good(np.where(mask, q @ k.T / math.sqrt(q.shape[1]), -1e9)),
        "注意力权重",
    ),
    (
        check.masked_attention,
        lambda q, k, v, mask: (
            softmax_naive(np.where(mask, q @ k.T / math.sqrt(q.shape[1]), -1e9)) @ v
        ),
        "数值不稳定",
    ),
    (check.nonsaturating_grad, lambda logits: -ns_grad_good(logits), "符号反了"),
    (check.nonsaturating_grad, lambda logits: ns_grad_good(logits) * len(logits), "平均"),
    (
        check.nonsaturating_grad,
        lambda logits: -(0.5 * (1 + np.tanh(logits / 2))) / len(logits),
        "饱和",
    ),
    (
        check.nonsaturating_grad,
        lambda logits: -1 / (0.5 * (1 + np.tanh(logits / 2))) / len(logits),
        "对 D 的梯度",
    ),
    (
        check.nonsaturating_grad,
        lambda logits: -np.exp(-logits) / (1 + np.exp(-logits)) / len(logits),
        "数值不稳定",
    ),
    (check.nonsaturating_grad, lambda logits: ns_grad_good(logits)[:-1], "形状不对"),
    (check.ssd_encode, lambda boxes, anchors, variances: encode_good(boxes, anchors, 1.0), "方差"),
    (
        check.ssd_encode,
        lambda boxes, anchors, variances: encode_good(boxes, anchors, 1.0) * variances,
        "而不是乘以方差",
    ),
    (
        check.ssd_encode,
        lambda boxes, anchors, variances: encode_good(anchors, boxes, variances),
        "对调",
    ),
    (
        check.ssd_encode,
        lambda boxes, anchors, variances: encode_good(boxes, anchors, variances)[:, [2, 3, 0, 1]],
        "顺序不对",
    ),
    (
        check.ssd_encode,
        lambda boxes, anchors, variances: encode_good(
            boxes, anchors, np.array([0.1, 0.1, 0.2, 0.2])
        ),
        "不随 variances 变化",
    ),
    (
        check.ssd_encode,
        lambda boxes, anchors, variances: encode_good(boxes, anchors, variances).T,
        "转置",
    ),
]


@pytest.mark.parametrize("checker, func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_a_typical_mistake_gets_its_diagnosis(checker, func, words):
    contract.assert_diagnosed(checker(func), words)


@pytest.mark.parametrize("checker, func, words", WRONG, ids=lambda x: getattr(x, "__name__", x))
def test_no_message_reveals_the_reference(checker, func, words):
    contract.assert_reveals_nothing(
        repr(checker(func)), EXERCISES[checker], contract.FROM_THREE_DECIMALS
    )


def test_the_hidden_inputs_are_the_same_every_time():
    for exercise in EXERCISES.values():
        contract.assert_cases_are_fixed(exercise)


@given(st.floats(min_value=1.5, max_value=9.0))
def test_a_constant_factor_is_measured(factor):
    result = check.softmax_rows(lambda z: factor * softmax_good(z))
    assert f"约为正确答案的 {factor:.2f} 倍" in repr(result)


def test_an_exception_is_reported_with_its_type_and_message():
    def broken(z):
        raise KeyError("oops")

    message = repr(check.softmax_rows(broken))
    assert "KeyError" in message and "oops" in message


def test_a_stub_says_it_is_not_implemented():
    def stub(z):
        raise NotImplementedError("请在这里写出你的实现")

    contract.assert_says_not_implemented(check.softmax_rows(stub))


def test_an_overflow_warning_is_noted_in_a_correct_answer():
    def sigmoid_naive_grad(logits):
        return -(1 - 1 / (1 + np.exp(-logits))) / len(logits)

    result = check.nonsaturating_grad(sigmoid_naive_grad)
    assert result
    assert "警告" in repr(result) and "overflow" in repr(result)


@pytest.mark.parametrize("checker", list(EXERCISES), ids=lambda f: f.__name__)
@pytest.mark.parametrize("not_a_function", [3, np.zeros((2, 2)), None, "my_softmax"])
def test_passing_something_else_than_a_function_is_a_clear_error(checker, not_a_function):
    info = contract.assert_refuses_a_non_function(
        checker, not_a_function, EXERCISES[checker].example_call
    )
    assert type(not_a_function).__name__ in str(info.value)


def test_a_result_is_truthy_only_when_correct_and_shows_its_message():
    good, bad = check.softmax_rows(softmax_good), check.softmax_rows(softmax_naive)
    assert good and not bad
    assert str(bad) == repr(bad) == bad.message
    assert good.passed is True and bad.passed is False


@pytest.mark.parametrize("name", [n for n in check.__all__ if n != "CheckResult"])
@pytest.mark.parametrize("not_a_function", [3, np.zeros((2, 2)), None, "my_fit"])
def test_every_checker_refuses_a_non_function_and_shows_the_call(name, not_a_function):
    with pytest.raises(TypeError) as info:
        getattr(check, name)(not_a_function)
    message = str(info.value)
    assert f"check.{name}(" in message and type(not_a_function).__name__ in message, message
